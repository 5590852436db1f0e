"""Reusable reads over quotes and statements: ``Quote.objects.public().by_speaker(s).search(q)``."""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection, models, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SEARCH_CONFIG = "english"
# SearchHeadline returns raw text: it marks matches with these private-use sentinels, the text is
# escaped, and only then are the sentinels turned into <mark> elements.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
# pg_trgm word similarity at or above which a quote is a close match ("sanktions" ~ 0.54).
FUZZY_THRESHOLD = 0.4
FUZZY_LIMIT = 500


def highlight(headline: str | None) -> SafeString:
    """Escape a headline built with the sentinels, then turn the sentinels into <mark>."""
    text = escape(headline or "")
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308


class QuoteQuerySet(models.QuerySet):
    def public(self):
        """What readers see: everything an editor has not rejected."""
        return self.exclude(status="rejected")

    def for_listing(self):
        return self.select_related("speaker", "article__outlet").prefetch_related("topics")

    def by_speaker(self, speaker):
        return self.filter(speaker=speaker)

    def by_topic(self, topic):
        return self.filter(topics=topic)

    def by_outlet(self, outlet):
        return self.filter(article__outlet=outlet)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def with_status(self, status: str):
        return self.filter(status=status)

    def published_between(self, start: date | None = None, end: date | None = None):
        qs = self
        if start:
            qs = qs.filter(article__published__gte=start)
        if end:
            qs = qs.filter(article__published__lte=end)
        return qs

    def newest_first(self):
        return self.order_by(F("article__published").desc(nulls_last=True), "-article_id", "start")

    def filter_by(self, filters: dict):
        """Apply the cleaned data of a ``QuoteFilterForm`` (every key optional)."""
        qs = self
        if filters.get("speaker"):
            qs = qs.by_speaker(filters["speaker"])
        if filters.get("topic"):
            qs = qs.by_topic(filters["topic"])
        if filters.get("outlet"):
            qs = qs.by_outlet(filters["outlet"])
        if filters.get("kind"):
            qs = qs.of_kind(filters["kind"])
        if filters.get("status"):
            qs = qs.with_status(filters["status"])
        return qs.published_between(filters.get("date_from"), filters.get("date_to"))

    def find(self, filters: dict):
        """Filters applied; ranked by relevance when there are words (``q``), else newest first."""
        qs = self.filter_by(filters)
        return qs.search(filters["q"]) if filters.get("q") else qs.newest_first()

    def find_with_fallback(self, filters: dict):
        """``find()``, or close matches (``fuzzy()``) when the words match nothing exactly.

        Returns ``(queryset, is_fuzzy)``.
        """
        found = self.find(filters)
        q = filters.get("q")
        if q and not found.exists():
            return self.filter_by(filters).fuzzy(q), True
        return found, False

    def search(self, q: str):
        """Full-text search (websearch syntax, english config), best match first, highlighted.

        Each row gets ``rank`` and ``headline`` (pass it to ``highlight()`` to display it).
        """
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        return (
            self.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                headline=SearchHeadline(
                    "text",
                    query,
                    config=SEARCH_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_STOP,
                    highlight_all=True,
                ),
            )
            .order_by("-rank", "-id")
        )

    def fuzzy(self, q: str):
        """Close matches when full-text search finds nothing: misspelt words or speaker names.

        Quotes whose words are trigram-similar to ``q`` (GIN trigram index), or whose speaker's
        name or alias is; best first, with ``similarity``.
        """
        from apps.speakers.models import Speaker

        q = q.strip()[:200]
        if not q:
            return self.none()
        with transaction.atomic(), connection.cursor() as cursor:
            # The %> operator uses the trigram index with this session threshold.
            cursor.execute(
                "SET LOCAL pg_trgm.word_similarity_threshold = %s", [str(FUZZY_THRESHOLD)]
            )
            text_ids = list(
                self.filter(text__trigram_word_similar=q)
                .annotate(sim=TrigramWordSimilarity(q, "text"))
                .order_by("-sim")
                .values_list("id", flat=True)[:FUZZY_LIMIT]
            )
        speaker_ids = list(
            Speaker.objects.annotate(
                sim=Greatest(
                    TrigramWordSimilarity(q, "name"),
                    Coalesce(models.Max(TrigramSimilarity("aliases__name", q)), 0.0),
                )
            )
            .filter(sim__gte=FUZZY_THRESHOLD)
            .values_list("id", flat=True)
        )
        return (
            self.filter(Q(id__in=text_ids) | Q(speaker_id__in=speaker_ids))
            .annotate(
                similarity=Greatest(
                    TrigramWordSimilarity(q, "text"),
                    TrigramWordSimilarity(q, "speaker__name"),
                )
            )
            .order_by("-similarity", "-id")
        )


class StatementQuerySet(models.QuerySet):
    def reported_by_several(self):
        """Statements carried by more than one article, conflicts first."""
        return (
            self.annotate(n_articles=Count("quotes__article", distinct=True))
            .filter(n_articles__gt=1)
            .order_by("-has_conflict", "-n_articles", "-updated_at", "-id")
        )
