"""Writes to articles and outlets: ``article_ingest`` stores one article whole or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.articles.models import Article, Outlet
from apps.articles.sources import content_hash
from apps.quotes.extraction import ExtractedQuote, SpeakerHint, extract


class Outcome:
    STORED = "stored"
    UNCHANGED = "unchanged"
    UPDATED = "updated"


@dataclass
class IngestResult:
    article: Article
    outcome: str
    quotes: int = 0  # machine quotes created or changed
    kept: int = 0  # reviewed quotes kept
    lost: int = 0  # reviewed quotes whose words left the text

    def __iter__(self):  # ``article, outcome = article_ingest(...)``
        return iter((self.article, self.outcome))


@transaction.atomic
def outlet_resolve(*, name: str = "", domain: str = "") -> Outlet | None:
    """The outlet with this domain (or, failing that, name), created when unknown."""
    name, domain = (name or "").strip()[:200], (domain or "").strip().lower()[:200]
    if domain.startswith("www."):
        domain = domain[4:]
    if not name and not domain:
        return None
    for _ in range(3):
        outlet = None
        if domain:
            outlet = Outlet.objects.filter(domain=domain).first()
        if outlet is None and name:
            outlet = Outlet.objects.filter(name__iexact=name).first()
            if outlet is not None and domain and not outlet.domain:
                outlet.domain = domain
                outlet.save(update_fields=["domain"])
        if outlet is not None:
            return outlet
        try:
            with transaction.atomic():
                return Outlet.objects.create(name=name or domain, domain=domain)
        except IntegrityError:  # created meanwhile by a concurrent ingest
            continue
    raise IntegrityError(f"could not resolve outlet {name!r} ({domain!r})")


def _find_previous(*, url: str, source: str) -> Article | None:
    """The article this one is a new version of: same URL, else same file."""
    if url:
        found = Article.objects.select_for_update().filter(url=url).first()
        if found is not None:
            return found
    if source:
        return Article.objects.select_for_update().filter(source=source).first()
    return None


@transaction.atomic
def article_ingest(
    *,
    text: str,
    title: str = "",
    source: str = "",
    url: str = "",
    outlet: str = "",
    outlet_domain: str = "",
    published: dt.date | None = None,
    author: str = "",
    language: str = "en",
    translated_from: str = "",
    original_title: str = "",
    extracted: Sequence[ExtractedQuote] | None = None,
    speakers: Sequence[SpeakerHint] | None = None,
) -> IngestResult:
    """Store an article and its quotes, topics and statements in one transaction.

    Outcomes: ``stored`` (new), ``unchanged`` (this exact text is already stored: nothing
    changes), ``updated`` (an article with the same URL or source had another text: it is
    re-extracted; quotes editors reviewed keep their decisions). ``extracted`` may carry the
    engine's result when it ran elsewhere (a worker process); otherwise it runs here with
    ``speakers`` (default: every known speaker and alias).
    """
    from apps.quotes.services import quotes_store_for_article

    if not text or not text.strip():
        raise ValueError("the article has no text")
    digest = content_hash(text)
    fields = {
        "title": (title or text.strip().split("\n", 1)[0])[:1000],
        "url": url or "",
        "published": published,
        "author": (author or "")[:300],
        "language": (language or "en")[:16],
        "translated_from": (translated_from or "")[:16],
        "original_title": (original_title or "")[:1000],
    }

    for attempt in range(3):
        same = Article.objects.filter(content_hash=digest).first()
        if same is not None:
            return IngestResult(same, Outcome.UNCHANGED)
        if extracted is None:
            if speakers is None:
                from apps.speakers.services import speaker_hints

                speakers = speaker_hints()
            extracted = extract(text, speakers=speakers)
        try:
            with transaction.atomic():
                previous = _find_previous(url=url, source=source)
                outlet_obj = outlet_resolve(name=outlet, domain=outlet_domain)
                if previous is None:
                    article = Article.objects.create(
                        text=text,
                        content_hash=digest,
                        source=source or "",
                        outlet=outlet_obj,
                        **fields,
                    )
                    stored = quotes_store_for_article(article=article, extracted=extracted)
                    return IngestResult(article, Outcome.STORED, quotes=len(stored.created))
                old_text = previous.text
                previous.text, previous.content_hash = text, digest
                previous.source = source or previous.source
                previous.outlet = outlet_obj or previous.outlet
                for name, value in fields.items():
                    if value not in ("", None):
                        setattr(previous, name, value)
                previous.ingested_at = timezone.now()
                previous.save()
                stored = quotes_store_for_article(
                    article=previous, extracted=extracted, old_text=old_text
                )
                return IngestResult(
                    previous,
                    Outcome.UPDATED,
                    quotes=len(stored.created) + len(stored.updated),
                    kept=stored.kept,
                    lost=stored.lost,
                )
        except IntegrityError:
            # A concurrent ingest stored this text, URL or file first: look again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
