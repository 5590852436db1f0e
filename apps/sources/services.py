"""Writes to sources and fetches: track a source, poll it, fetch and store one article.

The tasks in ``tasks.py`` and the commands call these; each is safe to run twice (a job may
be retried after its worker died), and an article is stored by ``article_ingest``, whoever
calls it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.articles.models import Article
from apps.articles.services import article_ingest, outlet_resolve
from apps.articles.sources import content_hash
from apps.quotes.extraction import extract
from apps.sources import fetcher
from apps.sources.models import Fetch, Host, Source
from apps.sources.pages import PageError, canonical_url, read_listing, read_page
from apps.speakers.services import speaker_hints

log = logging.getLogger(__name__)

STRANDED_AFTER = timedelta(minutes=30)


def host_reserve(*, host: str, delay: float) -> float:
    """Book the next request slot for ``host``; returns the seconds to wait for it.

    Every worker books through the same row, so requests to one host are at least ``delay``
    seconds apart however many workers fetch from it.
    """
    if delay <= 0:
        return 0.0
    now = timezone.now()
    with transaction.atomic():
        row, _ = Host.objects.select_for_update().get_or_create(
            name=host[:300], defaults={"next_request_at": now}
        )
        slot = max(now, row.next_request_at)
        row.next_request_at = slot + timedelta(seconds=delay)
        row.save(update_fields=["next_request_at"])
    return (slot - now).total_seconds()


# --- tracking ----------------------------------------------------------------------------------


def detect_kind(response: fetcher.Response) -> str:
    """feed, sitemap or page, from what the URL serves."""
    if response.is_html:
        return Source.Kind.PAGE
    listing = read_listing(response.body, base_url=response.url, content_type=response.content_type)
    return listing.kind


@transaction.atomic
def source_create(
    *, url: str, kind: str, outlet: str = "", every: int = 60, active: bool = True
) -> Source:
    outlet_obj = outlet_resolve(name=outlet) if outlet else None
    source, _ = Source.objects.update_or_create(
        url=url,
        defaults={"kind": kind, "outlet": outlet_obj, "every": every, "active": active},
        create_defaults={
            "kind": kind,
            "outlet": outlet_obj,
            "every": every,
            "active": active,
            "next_poll_at": timezone.now(),
        },
    )
    return source


def source_track(*, url: str, outlet: str = "", every: int = 60) -> Source:
    """Add (or update) a source, its kind read off what the URL serves."""
    if every < 1:
        raise ValueError("a source is polled at most once a minute (--every 1)")
    response = fetcher.fetch(url, accept=fetcher.ANY_TEXT)
    try:
        kind = detect_kind(response)
    except PageError as exc:
        raise PageError(
            f"{url} is neither a feed, a news sitemap nor an HTML page: {exc}"
        ) from None
    return source_create(url=url, kind=kind, outlet=outlet, every=every)


# --- polling -----------------------------------------------------------------------------------


@dataclass
class PollResult:
    found: int = 0  # new article URLs, each given a fetch job
    skipped: int = 0  # URLs already known
    left: int = 0  # new URLs left for the next poll (the per-poll bound)
    error: str = ""


def _record_error(source_id: int, error: str) -> None:
    Source.objects.filter(pk=source_id).update(
        last_error=error[:2000], last_error_at=timezone.now()
    )


def _schedule_next(source: Source) -> None:
    now = timezone.now()
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=now, next_poll_at=now + source.interval
    )


def source_poll(*, source_id: int, enqueue) -> PollResult:
    """Read the source and give each new article URL a ``Fetch`` and a fetch job
    (``enqueue(fetch_id)``), at most ``settings.FETCH_MAX_ITEMS_PER_POLL`` a poll.

    Errors are recorded on the source and the next poll is scheduled all the same; only a
    ``Retryable`` error is raised again, for the job to be retried.
    """
    source = Source.objects.select_related("outlet").filter(pk=source_id).first()
    if source is None:  # deleted meanwhile
        return PollResult(error="the source was deleted")
    _schedule_next(source)
    if source.kind == Source.Kind.PAGE:
        fetch_row, created = Fetch.objects.get_or_create(
            url=canonical_url(source.url), defaults={"source": source}
        )
        enqueue(fetch_row.pk)  # a page is fetched again each poll (conditional GET)
        return PollResult(found=int(created))
    try:
        response = fetcher.fetch(
            source.url,
            accept=fetcher.FEED_TYPES + ("text/plain",),
            etag=source.etag,
            last_modified=source.last_modified,
        )
        if response.not_modified:
            result = PollResult()
        else:
            listing = read_listing(
                response.body, base_url=response.url, content_type=response.content_type
            )
            result = _register(source, listing, enqueue)
            # Keep the validators only when every item was taken: with items left for the
            # next poll, a 304 then would hide them.
            done = not result.left
            Source.objects.filter(pk=source.pk).update(
                etag=response.etag if done else "",
                last_modified=response.last_modified if done else "",
            )
    except fetcher.Retryable as exc:
        _record_error(source.pk, str(exc))
        raise
    except (fetcher.FetchError, PageError) as exc:
        _record_error(source.pk, str(exc))
        return PollResult(error=str(exc))
    if result.error:
        _record_error(source.pk, result.error)
    else:
        Source.objects.filter(pk=source.pk).update(last_error="", last_error_at=None)
    return result


def _register(source: Source, listing, enqueue) -> PollResult:
    if not listing.entries:
        return PollResult(error=f"empty {listing.kind}: it lists no articles")
    limit = settings.FETCH_MAX_ITEMS_PER_POLL
    urls = list(dict.fromkeys(canonical_url(e.url) for e in listing.entries if e.url.strip()))
    known = set(Fetch.objects.filter(url__in=urls).values_list("url", flat=True))
    known |= set(Article.objects.filter(url__in=urls).values_list("url", flat=True))
    new = [u for u in urls if u not in known]
    taken = new[:limit]
    created = Fetch.objects.bulk_create(
        [Fetch(source=source, url=u) for u in taken], ignore_conflicts=True
    )
    # ignore_conflicts leaves pks unset: read the rows back. A fetch of this source left untried
    # for a while is queued again too, so one whose job was lost (a poll that died between the
    # two steps) is not stranded; the job's queueing lock keeps a waiting one from doubling.
    stale = timezone.now() - STRANDED_AFTER
    waiting = Fetch.objects.filter(source=source, status=Fetch.Status.QUEUED, attempts=0).filter(
        Q(url__in=taken) | Q(created_at__lt=stale)
    )
    for fetch_id in waiting.order_by("pk").values_list("pk", flat=True)[: 2 * limit]:
        enqueue(fetch_id)
    Source.objects.filter(pk=source.pk).update(articles_found=F("articles_found") + len(created))
    return PollResult(found=len(taken), skipped=len(urls) - len(new), left=len(new) - len(taken))


# --- fetching one article ----------------------------------------------------------------------


@dataclass
class FetchResult:
    status: str
    error: str = ""
    article_id: int | None = None


def _finish(
    fetch_row: Fetch, status: str, *, error: str = "", article=None, response=None, **timing
):
    fields = {"status": status, "error": error[:2000], "fetched_at": timezone.now(), **timing}
    if article is not None:
        fields["article"] = article
    if response is not None:
        fields["etag"], fields["last_modified"] = response.etag, response.last_modified
    Fetch.objects.filter(pk=fetch_row.pk).update(**fields)
    if error:
        _record_error(fetch_row.source_id, f"{fetch_row.url}: {error}")
    return FetchResult(status, error, article.pk if article is not None else fetch_row.article_id)


def fetch_store(*, fetch_id: int, last_attempt: bool = True) -> FetchResult:
    """Fetch one article URL, extract it and store it with ``article_ingest``.

    404/410 and refusals are recorded (on the fetch and its source) and not raised;
    ``Retryable`` errors are raised for the job to retry, and recorded when
    ``last_attempt``.
    """
    fetch_row = Fetch.objects.select_related("source__outlet").filter(pk=fetch_id).first()
    if fetch_row is None:  # its source was deleted meanwhile
        return FetchResult("gone", "the source was deleted")
    Fetch.objects.filter(pk=fetch_id).update(attempts=F("attempts") + 1)
    outlet = fetch_row.source.outlet
    try:
        response = fetcher.fetch(
            fetch_row.url, etag=fetch_row.etag, last_modified=fetch_row.last_modified
        )
        if response.not_modified:
            return _finish(fetch_row, Fetch.Status.UNCHANGED, response=response)
        started = time.perf_counter()
        extracted = read_page(
            response.body,
            url=fetch_row.url,
            charset=response.charset,
            outlet=outlet.name if outlet else "",
            outlet_domain=outlet.domain if outlet else "",
        )
    except fetcher.Retryable as exc:
        if last_attempt:
            _finish(fetch_row, Fetch.Status.FAILED, error=str(exc))
        else:
            Fetch.objects.filter(pk=fetch_id).update(error=str(exc)[:2000])
        raise
    except fetcher.Gone as exc:
        return _finish(fetch_row, Fetch.Status.GONE, error=str(exc))
    except (fetcher.FetchError, PageError) as exc:
        return _finish(fetch_row, Fetch.Status.REFUSED, error=str(exc))
    article = extracted.article
    timing = {"fetch_seconds": response.seconds}
    try:
        same = Article.objects.filter(content_hash=content_hash(article.text)).first()
        if same is not None:  # this very text is stored (under another URL, say)
            timing["extract_seconds"] = time.perf_counter() - started
            return _finish(
                fetch_row, Fetch.Status.UNCHANGED, article=same, response=response, **timing
            )
        hints = speaker_hints()
        quotes = extract(article.text, speakers=hints)
        stored_at = time.perf_counter()
        timing["extract_seconds"] = stored_at - started
        result = article_ingest(**article.as_kwargs(), extracted=quotes, speakers=hints)
        timing["store_seconds"] = time.perf_counter() - stored_at
    except Exception as exc:
        log.exception("storing %s failed", fetch_row.url)
        return _finish(fetch_row, Fetch.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    return _finish(fetch_row, result.outcome, article=result.article, response=response, **timing)
