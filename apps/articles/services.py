"""Writes to articles and outlets: ``article_ingest`` stores one article whole or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.articles.metadata import metadata_from_text
from apps.articles.models import Article, Outlet
from apps.articles.sources import clean_url, content_hash
from apps.quotes.extraction import ExtractedQuote, SpeakerHint, extract

if TYPE_CHECKING:
    from apps.quotes.services import TopicMatcher


class ArticleRefused(ValueError):
    """An article over the per-article budget (``settings.ARTICLE_MAX_QUOTES``): nothing of it
    is stored; ``str()`` says why."""


def quotes_budget_check(count: int) -> None:
    limit = settings.ARTICLE_MAX_QUOTES
    if count > limit:
        raise ArticleRefused(
            f"refused: {count:,} quotes found, more than the per-article budget of {limit:,} "
            "(QT_ARTICLE_MAX_QUOTES); nothing of it was stored"
        )


def _topics_matched_ahead(
    topics: TopicMatcher | None, text: str, extracted: Sequence[ExtractedQuote]
) -> TopicMatcher:
    """The taxonomy, with every quote's topics already matched, so the regular expressions run
    before the transaction opens rather than inside it (seconds for 20,000 quotes): inside,
    storing asks the same questions and reads the answers from ``_MatchedAhead``."""
    from apps.quotes.services import ArticleParagraphs, TopicMatcher, enclosing, topics_for_span

    ahead = _MatchedAhead((topics or TopicMatcher()).rules)
    spans = [(eq.start, eq.end) for eq in extracted if 0 <= eq.start < eq.end <= len(text)]
    held = enclosing(spans)
    paragraphs = ArticleParagraphs(text)
    for start, end in spans:
        topics_for_span(
            ahead, text, start, end, within=held.get((start, end), ()), paragraphs=paragraphs
        )
    return ahead


class _MatchedAhead:
    """A TopicMatcher that remembers what each piece of text matched."""

    def __init__(self, rules):
        from apps.quotes.services import TopicMatcher

        self._matcher = TopicMatcher(topics=[])
        self._matcher.rules = rules
        self.rules = rules
        self._seen: dict[tuple[str, bool], list] = {}

    def match(self, text: str, *, narrow_first: bool = False) -> list:
        key = (text, narrow_first)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = self._matcher.match(text, narrow_first=narrow_first)
        return found


def quoted_passages_check(text: str) -> None:
    """Refuse, before the engine runs, an article whose quoted passages alone exceed the
    budget: counting them is a linear scan of the quotation marks, parsing it takes minutes."""
    from apps.quotes.extraction import marks

    passages = len(marks.segments(text, marks.paragraphs(text)))
    limit = settings.ARTICLE_MAX_QUOTES
    if passages > limit:
        raise ArticleRefused(
            f"refused: {passages:,} quoted passages, more than the per-article budget of "
            f"{limit:,} quotes (QT_ARTICLE_MAX_QUOTES); nothing of it was stored"
        )


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
    reworded: int = 0  # reviewed quotes whose words changed a little (decision kept)
    another_look: int = 0  # reviewed quotes whose words changed more: flagged for editors

    def __iter__(self):  # ``article, outcome = article_ingest(...)``
        return iter((self.article, self.outcome))


def outlet_resolve(*, name: str = "", domain: str = "") -> Outlet | None:
    """The outlet with this domain (or, failing that, name), created when unknown.

    A known outlet costs one query; the savepoint is only taken to create one.
    """
    name, domain = (name or "").strip()[:200], (domain or "").strip().lower()[:200]
    if domain.startswith("www."):
        domain = domain[4:]
    if not name and not domain:
        return None
    wanted = (Q(domain=domain) if domain else Q()) | (Q(name__iexact=name) if name else Q())
    for _ in range(3):
        found = list(Outlet.objects.filter(wanted))
        outlet = next((o for o in found if domain and o.domain == domain), None)
        if outlet is None and name:
            outlet = next((o for o in found if o.name.lower() == name.lower()), None)
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


def _find_stored(*, digest: str, url: str, source: str) -> tuple[Article | None, Article | None]:
    """In one query, locked: the article with this very text, and the one this is a new version
    of (same URL, else same file)."""
    wanted = (
        Q(content_hash=digest)
        | (Q(url=url) if url else Q())
        | (Q(source=source) if source else Q())
    )
    found = list(Article.objects.select_for_update().filter(wanted).order_by()[:3])
    same = next((a for a in found if a.content_hash == digest), None)
    previous = next((a for a in found if url and a.url == url), None) or next(
        (a for a in found if source and a.source == source), None
    )
    return same, previous


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
    topics: TopicMatcher | None = None,
) -> IngestResult:
    """Store an article and its quotes, topics and statements in one transaction.

    Outcomes: ``stored`` (new), ``unchanged`` (this exact text is already stored: nothing
    changes), ``updated`` (an article with the same URL or source had another text: it is
    re-extracted; quotes editors reviewed keep their decisions). ``extracted`` may carry the
    engine's result when it ran elsewhere (a worker process); otherwise it runs here, outside
    the transaction, with ``speakers`` (default: every known speaker and alias). ``topics``:
    the taxonomy read once by a caller that ingests many articles.
    """
    from apps.quotes.services import quotes_prepare, quotes_store_for_article

    if not text or not text.strip():
        raise ValueError("the article has no text")
    url = clean_url(url)  # SourceError unless http(s): the database refuses others too
    digest = content_hash(text)
    # What no manifest or page metadata gave, the text itself may state (byline, dateline).
    stated = metadata_from_text(text)
    if not outlet and not outlet_domain:
        outlet = stated.outlet
    published = published or stated.published
    author = author or stated.author
    fields = {
        "title": (title or text.strip().split("\n", 1)[0])[:1000],
        "url": url or "",
        "published": published,
        "author": (author or "")[:300],
        "place": stated.place[:200],
        "language": (language or "en")[:16],
        "translated_from": (translated_from or "")[:16],
        "original_title": (original_title or "")[:1000],
    }

    for attempt in range(3):
        if extracted is None:  # before running the engine, see whether the text is stored
            same = Article.objects.filter(content_hash=digest).first()
            if same is not None:
                return IngestResult(same, Outcome.UNCHANGED)
            quoted_passages_check(text)
            if speakers is None:
                from apps.speakers.services import speaker_hints

                speakers = speaker_hints()
            extracted = extract(text, speakers=speakers)
        quotes_budget_check(len(extracted))
        topics = _topics_matched_ahead(topics, text, extracted)
        # The rows of a new article's quotes are made before the transaction opens, which
        # then holds only what needs the database (an article of 25,000 quotes: seconds).
        prepared = quotes_prepare(text=text, extracted=extracted, topics=topics)
        try:
            with transaction.atomic():
                same, previous = _find_stored(digest=digest, url=url, source=source)
                if same is not None:
                    return IngestResult(same, Outcome.UNCHANGED)
                outlet_obj = outlet_resolve(name=outlet, domain=outlet_domain)
                if previous is None:
                    article = Article.objects.create(
                        text=text,
                        content_hash=digest,
                        source=source or "",
                        outlet=outlet_obj,
                        **fields,
                    )
                    stored = quotes_store_for_article(
                        article=article,
                        extracted=extracted,
                        topics=topics,
                        new=True,
                        prepared=prepared,
                    )
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
                    article=previous, extracted=extracted, old_text=old_text, topics=topics
                )
                return IngestResult(
                    previous,
                    Outcome.UPDATED,
                    quotes=len(stored.created) + len(stored.updated),
                    kept=stored.kept,
                    lost=stored.lost,
                    reworded=stored.reworded,
                    another_look=stored.another_look,
                )
        except IntegrityError:
            # A concurrent ingest stored this text, URL or file first: look again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
