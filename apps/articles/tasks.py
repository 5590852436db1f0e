"""Jobs that store articles: batches queued by ``ingest --queue`` and staff's uploads."""

from __future__ import annotations

import contextlib
import datetime as dt
from types import SimpleNamespace

from django.utils import timezone
from procrastinate.contrib.django import app
from simple_history.models import HistoricalRecords

from apps.articles.models import Upload
from apps.articles.pipeline import ingest_items
from apps.articles.sources import ArticleInput, Item, items_from_bytes


class BatchFailed(Exception):
    """Some articles of a batch could not be ingested (the others were)."""


def article_payload(label: str, article: ArticleInput) -> dict:
    """An article as a job argument (plain JSON values)."""
    data = article.as_kwargs()
    data["published"] = article.published.isoformat() if article.published else None
    return {"label": label, **data}


def _item(payload: dict) -> Item:
    data = dict(payload)
    label = data.pop("label")
    if data.get("published"):
        data["published"] = dt.date.fromisoformat(data["published"])
    return Item(label, article=ArticleInput(**data))


@app.task(name="articles.ingest_batch", queue="ingest")
def ingest_batch(*, articles: list[dict]) -> dict:
    """Ingest a batch of articles (each in its own transaction; a text already stored is
    skipped, so running the job twice stores nothing twice)."""
    from apps.speakers.services import speaker_hints

    report = ingest_items((_item(a) for a in articles), hints=speaker_hints(), workers=0)
    if report.failures:
        raise BatchFailed("; ".join(f"{label}: {error}" for label, error in report.failures))
    return dict(report.counts)


@contextlib.contextmanager
def _history_user(user):
    """Records the history of what the job changes under the staff member who asked."""
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user) if user else None
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


def _apply_meta(article: ArticleInput, meta: dict) -> None:
    """What the staff member typed in the form wins over what the file says."""
    for name in ("title", "url", "outlet"):
        if meta.get(name):
            setattr(article, name, meta[name])
    if meta.get("published"):
        article.published = dt.date.fromisoformat(meta["published"])


@app.task(name="articles.ingest_upload", queue="ingest")
def ingest_upload(*, upload_id: int) -> str:
    from apps.articles.services import article_ingest

    upload = Upload.objects.select_related("user").filter(pk=upload_id).first()
    if upload is None or upload.status != Upload.Status.QUEUED:
        return "nothing to do"  # deleted, or done by an earlier run of this job
    meta = upload.meta or {}
    items = items_from_bytes(bytes(upload.data), label=upload.label, kind=upload.kind)
    results = []
    with _history_user(upload.user):
        for item in items:
            if item.error:
                results.append({"label": item.label, "error": item.error})
                continue
            try:
                _apply_meta(item.article, meta)
                result = article_ingest(**item.article.as_kwargs())
            except Exception as exc:
                results.append({"label": item.label, "error": f"{type(exc).__name__}: {exc}"})
            else:
                results.append(
                    {
                        "label": item.label,
                        "outcome": result.outcome,
                        "article": result.article.pk,
                        "title": result.article.title,
                        "quotes": result.article.quotes.count(),
                    }
                )
    failed = results and all("error" in r for r in results)
    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.FAILED if failed else Upload.Status.DONE,
        results=results,
        finished_at=timezone.now(),
        data=b"",  # the text now lives in the article; an upload is not kept twice
    )
    return f"{len(results)} result(s)"
