"""Reusable reads over quotes and statements: ``Quote.objects.public().by_speaker(s).search(q)``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.core.paging import RESULT_CAP

SEARCH_CONFIG = "english"
# SearchHeadline returns raw text: it marks matches with these private-use sentinels, the text is
# escaped, and only then are the sentinels turned into <mark> elements.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
# A search ranks at most this many of the newest matches (one more than a page counts).
SEARCH_CANDIDATES = RESULT_CAP + 1
# ... looking first among this many newest quotes (see ranked_ids()).
SEARCH_WINDOW = 50_000
# Correcting words that match nothing: pg_trgm similarity to a known word ("sanktions" ~
# "sanctions" 0.54), word similarity to a speaker's name ("Lavorv" ~ "Sergey Lavrov" 0.43).
WORD = re.compile(r"[^\W\d_]{3,}")
LONE_OPERATOR = re.compile(r'(?<!\S)(?:-|""|or)(?!\S)', re.IGNORECASE)
WORD_THRESHOLD = 0.3
SPEAKER_THRESHOLD = 0.4
MAX_CORRECTED_WORDS = 8
# A partial quote of this many words or fewer is a fragment ("well known", "like an adult").
FRAGMENT_MAX_WORDS = 3


def highlight(headline: str | None) -> SafeString:
    """Escape a headline built with the sentinels, then turn the sentinels into <mark>."""
    text = escape(headline or "")
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308


def listed_q(prefix: str = "") -> Q:
    """``QuoteQuerySet.listed()`` as a condition on a relation (``listed_q("quotes__")``), for
    counting a speaker's or a topic's quotes the way their pages list them."""
    return (
        ~Q(**{f"{prefix}status": "rejected"})
        & Q(**{f"{prefix}part_of__isnull": True})
        & ~Q(**{f"{prefix}kind": "partial", f"{prefix}word_count__lte": FRAGMENT_MAX_WORDS})
    )


class QuoteQuerySet(models.QuerySet):
    def public(self):
        """What readers see: everything an editor has not rejected."""
        return self.exclude(status="rejected")

    def listed(self):
        """What listings show on its own, and what counts on speaker and topic pages count:
        claims and quotes no other public quote encloses (a partial inside a claim is shown
        marked inside it), and no fragment of three words or fewer standing alone (those are
        seen inside their claim, or on the article page)."""
        return self.filter(
            part_of__isnull=True,  # (rejecting a claim unsets its partials' part_of)
        ).exclude(kind="partial", word_count__lte=FRAGMENT_MAX_WORDS)

    def for_listing(self):
        """With speaker, article (without its text) and outlet, topics, and the quotes inside
        each (marked in it): what a list shows."""
        parts = self.model._default_manager.exclude(status="rejected").only(
            "id", "start", "end", "kind", "part_of_id"
        )
        return (
            self.select_related("speaker", "article__outlet")
            .defer("article__text")
            .prefetch_related("topics", Prefetch("parts", queryset=parts))
        )

    def by_speaker(self, speaker):
        return self.filter(speaker=speaker)

    def by_topic(self, topic):
        return self.filter(topics=topic)

    def by_outlet(self, outlet):
        return self.filter(article_outlet=outlet)  # copied from the article (migration 0005)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def with_status(self, status: str):
        return self.filter(status=status)

    def published_between(self, start: date | None = None, end: date | None = None):
        """By the article's date (``published`` is the copy kept on each quote)."""
        qs = self
        if start:
            qs = qs.filter(published__gte=start)
        if end:
            qs = qs.filter(published__lte=end)
        return qs

    def newest_first(self):
        """Newest article first, in text order within an article (index ``quote_newest``)."""
        return self.order_by(F("published").desc(nulls_last=True), "-article_id", "start")

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

    def find_with_fallback(
        self, filters: dict, *, ranked_limit: int | None = None, window: int | None = None
    ):
        """``find()``, or when the words match nothing, the search corrected by ``correct()``.

        Returns ``(results, correction)``; ``correction`` is None unless the words were read
        differently (misspelt words replaced by known ones, speaker names made a filter).
        With ``ranked_limit`` (listing pages), a search ranks only the newest ``ranked_limit``
        matches and ``results`` is a ``RankedQuotes``; otherwise it is a queryset of them all.
        ``window``: see ``ranked_ids()``; only for all public quotes (``Quote.objects.public()``)
        and used only when ``filters`` hold nothing but words.
        """
        q = filters.get("q")
        qs = self.filter_by(filters)
        if not q:
            return qs.newest_first(), None
        window = window if filters.keys() == {"q"} else None
        found = qs._search_if_any(q, ranked_limit, window)
        if found is not None:
            return found, None
        correction = correct(q)
        if correction is None:
            return qs.none(), None
        if correction.speaker_ids:
            qs = qs.filter(speaker_id__in=correction.speaker_ids)
        if not correction.q:
            return qs.newest_first(), correction
        found = qs._search_if_any(correction.q, ranked_limit, window)
        return (qs.none() if found is None else found), correction

    def _search_if_any(self, q: str, ranked_limit: int | None, window: int | None = None):
        if not self.matching(q).exists():  # cheap, and spares a misspelling the window
            return None
        if ranked_limit is None:
            return self.search(q)
        ids = self.ranked_ids(q, ranked_limit, window=window)
        return RankedQuotes(self, q, ids) if ids else None

    def matching(self, q: str):
        """Quotes whose words match ``q`` (websearch syntax, english config), unordered."""
        return self.filter(
            search_vector=SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        )

    def search(self, q: str):
        """Full-text search (websearch syntax, english config), best match first, highlighted.

        Each row gets ``rank`` and ``headline`` (pass it to ``highlight()`` to display it).
        """
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        return (
            self.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query), headline=headline(query))
            .order_by("-rank", "-id")
        )

    def ranked_ids(
        self, q: str, limit: int = SEARCH_CANDIDATES, *, window: int | None = None
    ) -> list[int]:
        """Ids of the newest ``limit`` quotes matching ``q``, best match first.

        Ranking every quote that contains a common word is what makes a search slow, and the
        newest matches are what readers of news want. With ``window``, first look for them
        among the newest ``window`` quotes only, read from the index ``quote_newest`` alone (it
        holds the search vectors): that finds a common word or phrase at once, where the
        planner, which takes the words of a phrase to be independent, would fetch every match
        from the table. Otherwise (or when the window holds fewer) the planner chooses.
        """
        if window:
            ids = self._ranked_in_window(q, limit, window)
            if len(ids) >= limit:
                return ids
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        newest = self.matching(q).newest_first().values("pk")[:limit]
        return list(
            self.model._default_manager.filter(pk__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-id")
            .values_list("pk", flat=True)
        )

    def _ranked_in_window(self, q: str, limit: int, window: int) -> list[int]:
        recent = self.newest_first().values("id", "search_vector")[:window]
        sql, params = recent.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.id, ts_rank(r.search_vector, w.query) FROM ({sql}) AS r, "  # noqa: S608 - the ORM's SQL
                "websearch_to_tsquery(%s::regconfig, %s) AS w(query) "
                "WHERE r.search_vector @@ w.query LIMIT %s",
                [*params, SEARCH_CONFIG, q, limit],
            )
            rows = cursor.fetchall()
        rows.sort(key=lambda row: (-row[1], -row[0]))
        return [pk for pk, _ in rows]


def headline(query: SearchQuery) -> SearchHeadline:
    """The quote's text with every match between the ``MARK_START``/``MARK_STOP`` sentinels."""
    return SearchHeadline(
        "text",
        query,
        config=SEARCH_CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        highlight_all=True,
    )


class RankedQuotes(Sequence):
    """Search results for a listing page: ids best first, rows fetched a slice at a time.

    A ``Paginator`` counts them with ``len()`` and reads one page's rows (with ``headline``)
    in one query.
    """

    def __init__(self, queryset: QuoteQuerySet, q: str, ids: list[int]):
        self.queryset, self.q, self.ids = queryset, q, ids

    def for_listing(self) -> RankedQuotes:
        return RankedQuotes(self.queryset.for_listing(), self.q, self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        return self.rows(self.ids[index])

    def rows(self, ids: list[int]) -> list:
        """The quotes ``ids`` (in that order), each with ``headline``."""
        query = SearchQuery(self.q, search_type="websearch", config=SEARCH_CONFIG)
        found = self.queryset.filter(pk__in=ids).order_by().annotate(headline=headline(query))
        by_id = {quote.pk: quote for quote in found}
        return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class Correction:
    """How words that matched nothing were read instead."""

    q: str  # the words searched instead ("" when every word was a speaker's name)
    speaker_ids: tuple[int, ...] = ()
    speaker_names: tuple[str, ...] = ()


_WORDS_SQL = """
SELECT w, best.word, best.sim
FROM unnest(%s::text[]) AS w
LEFT JOIN LATERAL (
    SELECT s.word, similarity(s.word, w) AS sim
    FROM quotes_searchword s
    WHERE s.word %% w
    ORDER BY sim DESC, abs(char_length(s.word) - char_length(w)), s.word
    LIMIT 1
) AS best ON true
"""

_SPEAKERS_SQL = """
SELECT w, n.speaker_id, max(word_similarity(w, n.name)) AS sim
FROM unnest(%s::text[]) AS w,
     (SELECT id AS speaker_id, name FROM speakers_speaker
      UNION ALL SELECT speaker_id, name FROM speakers_speakeralias) AS n
WHERE word_similarity(w, n.name) >= %s
GROUP BY w, n.speaker_id
"""


def correct(q: str) -> Correction | None:
    """Read the words of ``q`` that no quote contains as the closest known word or speaker.

    A word becomes the known word (``SearchWord``) most trigram-similar to it, or a filter on
    the speakers whose name or alias it resembles more closely; a word like neither is dropped.
    None when no word could be corrected.
    """
    from apps.speakers.models import Speaker

    words = list(dict.fromkeys(w.lower() for w in WORD.findall(q)))[:MAX_CORRECTED_WORDS]
    if not words:
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        # The % operator uses the trigram index with this session threshold.
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [str(WORD_THRESHOLD)])
        cursor.execute(_WORDS_SQL, [words])
        known = {w: (best, sim or 0.0) for w, best, sim in cursor.fetchall()}
        unknown = [w for w in words if known[w][0] != w]
        if not unknown:
            return None
        cursor.execute(_SPEAKERS_SQL, [unknown, SPEAKER_THRESHOLD])
        speakers: dict[str, dict[int, float]] = {}
        for w, speaker_id, sim in cursor.fetchall():
            speakers.setdefault(w, {})[speaker_id] = sim
    replace, speaker_ids = {}, set()
    for w in unknown:
        best, sim = known[w]
        by_speaker = speakers.get(w, {})
        top = max(by_speaker.values(), default=0.0)
        if top > sim:  # a name: every speaker it resembles most closely
            replace[w] = ""
            speaker_ids |= {s for s, s_sim in by_speaker.items() if s_sim >= top - 1e-6}
        else:
            replace[w] = best or ""
    if not any(replace.values()) and not speaker_ids:
        return None
    corrected = WORD.sub(lambda m: replace.get(m.group().lower(), m.group()), q)
    corrected = " ".join(LONE_OPERATOR.sub(" ", corrected).split())
    names = list(
        Speaker.objects.filter(id__in=speaker_ids).order_by("name").values_list("id", "name")
    )
    return Correction(
        q=corrected,
        speaker_ids=tuple(i for i, _ in names),
        speaker_names=tuple(name for _, name in names),
    )


class StatementQuerySet(models.QuerySet):
    def reported_by_several(self):
        """Statements carried by more than one article, conflicts first.

        Read in order from the index ``statement_compare`` (``n_articles`` is kept by
        triggers): a page costs the same however many statements there are.
        """
        return self.filter(n_articles__gt=1).order_by(
            "-has_conflict", "-n_articles", "-updated_at", "-id"
        )


# Rows QuoteCount may pile up per key before a read folds them into one row per key.
COUNT_ROWS_PER_KEY = 4
COUNT_ROWS_SLACK = 1000

_COUNTS_COMPACT_SQL = """
WITH gone AS (DELETE FROM quotes_quotecount RETURNING scope, key, key2, n)
INSERT INTO quotes_quotecount (scope, key, key2, n)
SELECT scope, key, key2, sum(n) FROM gone GROUP BY scope, key, key2 HAVING sum(n) <> 0
"""


class QuoteCountQuerySet(models.QuerySet):
    def totals(self, scope: str) -> dict[int, int]:
        """Every key's count in ``scope`` (keys counting nothing are left out)."""
        rows = list(
            self.filter(scope=scope).values("key").annotate(total=Sum("n"), rows=Count("*"))
        )
        if sum(r["rows"] for r in rows) > COUNT_ROWS_PER_KEY * len(rows) + COUNT_ROWS_SLACK:
            self.compact()
        return {r["key"]: r["total"] for r in rows if r["total"]}

    def by_key2(self, scope: str, key: int) -> dict[int, int]:
        """``key2``'s counts under ``key`` (``spk_topic``: a speaker's counts by topic)."""
        rows = self.filter(scope=scope, key=key).values("key2").annotate(total=Sum("n"))
        return {r["key2"]: r["total"] for r in rows if r["total"]}

    def total(self, scope: str, key: int = 0) -> int:
        """One key's count (``public`` and ``machine`` have only key 0)."""
        return self.filter(scope=scope, key=key).aggregate(total=Sum("n"))["total"] or 0

    def compact(self) -> None:
        """Fold the rows into one per key. Safe beside writers and other compactions: each
        row is deleted (and its count carried over) by exactly one of them."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_COUNTS_COMPACT_SQL)

    def subquery(self, scope: str, key=None):
        """The count of ``scope`` for the outer row's primary key, as an expression (0 if none)."""
        summed = (
            self.filter(scope=scope, key=OuterRef(key or "pk"))
            .order_by()
            .values("key")
            .annotate(total=Sum("n"))
            .values("total")
        )
        return Coalesce(Subquery(summed), 0)
