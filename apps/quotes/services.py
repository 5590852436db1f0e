"""Writes to quotes, their topics and statements.

- ``quotes_store_for_article``: store an extraction's quotes for an article. Machine quotes are
  replaced (updated in place where the span is the same, so their ids and URLs hold); quotes an
  editor confirmed, corrected or rejected are kept as they are, moved to where their words stand
  if the article's text changed, and new machine quotes never overlap them.
- ``quote_topics_assign`` / ``topics_reassign``: topics from the quote's words and its sentence.
- ``statements_link`` / ``statement_link``: join quotes of other articles whose words match
  (candidates through the full-text and speaker indexes, scored with pg_trgm) into one
  statement; flag conflicts.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.articles.models import Article
from apps.core.history import insert_params, insert_with_history
from apps.quotes.extraction import ExtractedQuote
from apps.quotes.extraction.names import fold, normalise_name
from apps.quotes.models import Quote, Statement, Topic
from apps.speakers.models import Speaker
from apps.speakers.services import SpeakerName, speakers_resolve

EDITOR_STATUSES = (Quote.Status.CONFIRMED, Quote.Status.CORRECTED, Quote.Status.REJECTED)

# --- topics -----------------------------------------------------------------------------------


def _keyword_pattern(keyword: str) -> str:
    """The keyword as a regular expression, to be matched at the start of a word."""
    keyword = keyword.strip()
    prefix = keyword.endswith("*")
    keyword = keyword.rstrip("*").strip()
    if not keyword:
        return ""
    body = r"[\s-]+".join(re.escape(word) for word in keyword.split())
    if prefix:
        pattern = rf"{body}\w*"
    else:
        ending = r"(?:s|es|ed|d|ing)?" if keyword[-1:].isalpha() else ""
        pattern = rf"{body}{ending}\b"
    # All-capitals keywords (INF, JCPOA) are acronyms: match them only in capitals.
    return pattern if keyword.isupper() and len(keyword) > 1 else f"(?i:{pattern})"


@lru_cache(maxsize=256)
def _compiled(keywords: tuple[str, ...]) -> re.Pattern | None:
    parts = [p for p in (_keyword_pattern(k) for k in keywords) if p]
    # One word boundary before all the alternatives: the engine tries them only where a word
    # starts (several times faster than a boundary at the head of each).
    return re.compile(rf"\b(?:{'|'.join(parts)})") if parts else None


def _keyword_stem(keyword: str) -> str:
    """What any match of the keyword contains, lowercased: its first word."""
    words = keyword.strip().rstrip("*").split()
    return words[0].lower() if words else ""


class TopicMatcher:
    """Which topics a piece of text is about, from each topic's keywords.

    Build it once (one query) and reuse it: ``manage.py ingest`` builds one per run. Before a
    topic's pattern runs, a plain substring test on its keywords' first words rules most
    topics out cheaply.
    """

    def __init__(self, topics: Iterable[Topic] | None = None):
        topics = list(Topic.objects.all()) if topics is None else list(topics)
        self.rules = []
        for topic in topics:
            keywords = tuple(topic.keywords or ())
            stems = tuple({_keyword_stem(k) for k in keywords} - {""})
            self.rules.append((topic, _compiled(keywords), stems))

    def match(self, text: str, *, narrow_first: bool = False) -> list[Topic]:
        """The topics ``text`` names; with ``narrow_first``, broad ones only when it names no
        narrower one (a paragraph about Syria talks is about Syria)."""
        lowered = text.lower()
        found = [
            t
            for t, rx, stems in self.rules
            if rx is not None and any(s in lowered for s in stems) and rx.search(text)
        ]
        if narrow_first and any(not t.broad for t in found):
            return [t for t in found if not t.broad]
        return found


def topic_relevance(topic: Topic, texts: dict[int, str]) -> dict[int, int]:
    """How many times each text names the topic (its keywords) in its own words."""
    pattern = _compiled(tuple(topic.keywords or ()))
    return {
        pk: len(pattern.findall(text)) if pattern is not None else 0 for pk, text in texts.items()
    }


class ArticleParagraphs:
    """The paragraphs (lines) of one article, found once: which paragraph(s) hold a span, and
    each paragraph's topics, matched once however many quotes stand in it (an article that is
    one huge paragraph is lowercased and matched once, not once per quote)."""

    def __init__(self, text: str):
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self._topics: dict[tuple[int, int], list[Topic]] = {}

    def around(self, start: int, end: int) -> tuple[int, int]:
        """As ``rendering.paragraph_around``, by bisection."""
        i = bisect.bisect_left(self.breaks, start)
        left = self.breaks[i - 1] + 1 if i else 0
        j = bisect.bisect_left(self.breaks, end)
        right = self.breaks[j] if j < len(self.breaks) else len(self.text)
        return left, right

    def topics(self, matcher: TopicMatcher, start: int, end: int) -> list[Topic]:
        span = self.around(start, end)
        if span not in self._topics:
            self._topics[span] = matcher.match(self.text[span[0] : span[1]], narrow_first=True)
        return self._topics[span]


def topics_for_span(
    matcher: TopicMatcher,
    text: str,
    start: int,
    end: int,
    *,
    within: Sequence[tuple[int, int]] = (),
    paragraphs: ArticleParagraphs | None = None,
) -> list[Topic]:
    """A quote's topics come from its own words; when they name none, from the words of the
    claim it stands inside (``within``: enclosing spans, smallest first); failing that, from
    its paragraph ("baseless" in a paragraph about meddling), where a broad topic counts only
    if the paragraph names no narrower one: it is not a catch-all."""
    found = matcher.match(text[start:end])
    if found:
        return found
    for outer_start, outer_end in within:
        found = matcher.match(text[outer_start:outer_end])
        if found:
            return found
    paragraphs = paragraphs or ArticleParagraphs(text)
    return paragraphs.topics(matcher, start, end)


def enclosing(spans: list[tuple[int, int]]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """For each span of one article, the other spans that hold it, smallest first."""
    ordered = sorted(set(spans), key=lambda s: (s[0], -s[1]))
    held: dict[tuple[int, int], list[tuple[int, int]]] = {}
    open_: list[tuple[int, int]] = []  # spans that start before, innermost last
    for span in ordered:
        while open_ and open_[-1][1] < span[1]:
            open_.pop()
        held[span] = [o for o in reversed(open_) if o[1] >= span[1] and o != span]
        open_.append(span)
    return held


@transaction.atomic(savepoint=False)
def quote_topics_assign(
    *, quotes: Sequence[Quote], matcher: TopicMatcher | None = None, new: bool = False
) -> dict[int, list[Topic]]:
    """Replace the topics of ``quotes`` by those their words and context call for.

    ``new``: the quotes were just created and have no topics yet (nothing to delete).
    """
    if not quotes:
        return {}
    matcher = matcher or TopicMatcher()
    Through = Quote.topics.through
    assigned: dict[int, list[Topic]] = {}
    rows = []
    by_article: dict[int, list[Quote]] = {}
    for quote in quotes:
        by_article.setdefault(quote.article_id, []).append(quote)
    for group in by_article.values():
        text = group[0].article.text
        paragraphs = ArticleParagraphs(text)
        held = enclosing([(q.start, q.end) for q in group])
        for quote in group:
            topics = topics_for_span(
                matcher,
                text,
                quote.start,
                quote.end,
                within=held.get((quote.start, quote.end), ()),
                paragraphs=paragraphs,
            )
            assigned[quote.pk] = topics
            rows += [Through(quote_id=quote.pk, topic_id=t.pk) for t in topics]
    if not new:
        Through.objects.filter(quote_id__in=[q.pk for q in quotes]).delete()
    if rows:
        Through.objects.bulk_create(rows, ignore_conflicts=True)
    return assigned


@transaction.atomic
def topics_reassign(*, include_reviewed: bool = False, batch_size: int = 2000) -> int:
    """Reassign topics to every machine quote (and reviewed ones if asked) after the taxonomy
    changed. Returns how many quotes were looked at."""
    matcher = TopicMatcher()
    queryset = Quote.objects.select_related("article").order_by("pk")
    if not include_reviewed:
        queryset = queryset.filter(status=Quote.Status.MACHINE)
    done, last = 0, 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:batch_size])
        if not batch:
            return done
        quote_topics_assign(quotes=batch, matcher=matcher)
        done += len(batch)
        last = batch[-1].pk


# --- quotes -----------------------------------------------------------------------------------


@dataclass
class StoreResult:
    created: list[Quote] = field(default_factory=list)
    updated: list[Quote] = field(default_factory=list)
    deleted: int = 0
    kept: int = 0  # editor-reviewed quotes kept
    lost: int = 0  # editor-reviewed quotes whose words are no longer in the text
    reworded: int = 0  # reviewed quotes whose words changed a little: decision kept
    another_look: int = 0  # reviewed quotes whose words changed beyond that: flagged


def paragraph_index(text: str, offset: int) -> int:
    """0-based index of the non-blank line (paragraph) ``offset`` stands in."""
    return sum(1 for line in text[:offset].split("\n")[:-1] if line.strip())


# Where a reviewed quote's words changed, its place in the new text is found by the words
# around it: CONTEXT characters either side, looked for within REACH of where they were.
CONTEXT = 40
REACH = 20_000
_WORD = re.compile(r"\w{3,}")


def _find_near(text: str, needle: str, expected: int, *, last: bool = False) -> int:
    """Where ``needle`` stands in ``text`` nearest ``expected`` (within REACH), or -1."""
    lo, hi = max(0, expected - REACH), min(len(text), expected + REACH + len(needle))
    best, i = -1, text.find(needle, lo, hi)
    while i >= 0:
        if best < 0 or abs(i - expected) < abs(best - expected):
            best = i
        i = text.find(needle, i + 1, hi)
    return best


def reworded_span(old_text: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the words that stood at ``old_text[start:end]`` stand in ``text`` after an edit
    inside them: between the same words before and after the quote. None when the words
    around it changed too, or nothing stands between them now."""
    shift = len(text) - len(old_text)
    before = old_text[max(0, start - CONTEXT) : start]
    after = old_text[end : end + CONTEXT]
    if before:
        at = _find_near(text, before, start - len(before))
        if at < 0:
            return None
        new_start = at + len(before)
    else:
        new_start = 0
    if after:
        new_end = _find_near(text, after, end + shift)
        if new_end < 0:
            return None
    else:
        new_end = len(text)
    while new_start < new_end and text[new_start].isspace():
        new_start += 1
    while new_end > new_start and text[new_end - 1].isspace():
        new_end -= 1
    if new_end <= new_start or new_end - new_start > 2 * (end - start) + 500:
        return None
    return new_start, new_end


def _shares_words(a: str, b: str) -> bool:
    return bool({w.lower() for w in _WORD.findall(a)} & {w.lower() for w in _WORD.findall(b)})


def _relocate(quote: Quote, text: str, taken: set[tuple[int, int]]) -> bool:
    """Move a reviewed quote to where its words stand in the new text (nearest occurrence)."""
    needle = quote.text
    positions, i = [], text.find(needle)
    while i >= 0:
        positions.append(i)
        i = text.find(needle, i + 1)
    positions = [p for p in positions if (p, p + len(needle)) not in taken]
    if not positions:
        return False
    new_start = min(positions, key=lambda p: abs(p - quote.start))
    delta = new_start - quote.start
    quote.start, quote.end = new_start, new_start + len(needle)
    quote.paragraph = paragraph_index(text, new_start)
    if quote.mention_start is not None and quote.mention_end is not None:
        ms, me = quote.mention_start + delta, quote.mention_end + delta
        if 0 <= ms < me <= len(text) and text[ms:me] == quote.speaker_mention:
            quote.mention_start, quote.mention_end = ms, me
        else:
            quote.mention_start = quote.mention_end = None
    return True


def _speakers_for(extracted: Iterable[ExtractedQuote], *, stated_on=None) -> dict[str, Speaker]:
    """The registry speaker of each name in ``extracted`` (by normalised name), resolved in a
    few queries whatever the number of quotes; new spellings of a known speaker's name that
    the article uses ("Sergei Lavrov") are recorded as its aliases."""
    extracted = [eq for eq in extracted if eq.speaker]
    if not extracted:
        return {}
    return speakers_resolve(
        names=[
            SpeakerName(
                eq.speaker,
                eq.speaker_role or "",
                eq.speaker_kind or Speaker.Kind.PERSON,
                stated_on=stated_on,
            )
            for eq in extracted
        ],
        mentions=[(eq.speaker, eq.speaker_mention) for eq in extracted if eq.speaker_mention],
    )


def _fields_from(eq: ExtractedQuote, text: str, speaker: Speaker | None) -> dict | None:
    start, end = int(eq.start), int(eq.end)
    if not 0 <= start < end <= len(text):
        return None
    ms, me = eq.speaker_start, eq.speaker_end
    mention = (eq.speaker_mention or "")[:300]
    if ms is None or me is None or not (0 <= ms < me <= len(text)):
        ms = me = None
    return {
        "text": text[start:end],  # provenance: always the article's own characters
        "kind": eq.kind if eq.kind in Quote.Kind.values else Quote.Kind.DIRECT,
        "start": start,
        "end": end,
        "paragraph": max(0, int(eq.paragraph or 0)),
        "speaker": speaker,
        "speaker_mention": mention,
        "mention_start": ms,
        "mention_end": me,
        "cue": (eq.cue or "")[:100],
        "confidence": min(1.0, max(0.0, float(eq.confidence or 0.0))),
    }


_COMPARED = (
    "text",
    "kind",
    "paragraph",
    "speaker",
    "speaker_mention",
    "mention_start",
    "mention_end",
    "cue",
    "confidence",
)


@dataclass
class PreparedQuotes:
    """What storing a new article's quotes needs and the database does not hold, worked out by
    ``quotes_prepare`` before the transaction opens (seconds of Python for 25,000 quotes)."""

    kept: list[ExtractedQuote]  # one per span, in order
    quotes: list[Quote]  # unsaved, without article and speaker
    params: dict[str, list]  # what inserting them sends (``insert_params``)
    topic_ids: list[list[int]]  # each quote's topics


def _kept(text: str, extracted: Sequence[ExtractedQuote], overlaps=None) -> list[ExtractedQuote]:
    """One quote per span, valid spans only, none overlapping a reviewed quote."""
    kept: dict[tuple[int, int], ExtractedQuote] = {}
    for eq in sorted(extracted, key=lambda q: (q.start, -q.end)):
        if (eq.start, eq.end) in kept or (overlaps is not None and overlaps(eq.start, eq.end)):
            continue
        if _fields_from(eq, text, None) is not None:
            kept[(eq.start, eq.end)] = eq
    return list(kept.values())


def quotes_prepare(
    *, text: str, extracted: Sequence[ExtractedQuote], topics: TopicMatcher
) -> PreparedQuotes:
    """Everything about a new article's quotes that needs no database: their rows as they
    will be inserted (but for article and speaker) and their topics."""
    kept = _kept(text, extracted)
    quotes = [Quote(**_fields_from(eq, text, None)) for eq in kept]
    held = enclosing([(q.start, q.end) for q in quotes])
    paragraphs = ArticleParagraphs(text)
    topic_ids = [
        [
            t.pk
            for t in topics_for_span(
                topics,
                text,
                q.start,
                q.end,
                within=held.get((q.start, q.end), ()),
                paragraphs=paragraphs,
            )
        ]
        for q in quotes
    ]
    return PreparedQuotes(kept, quotes, insert_params(quotes) if quotes else {}, topic_ids)


def _store_prepared(
    *, article: Article, prepared: PreparedQuotes, link_statements: bool
) -> StoreResult:
    """The new article's quotes, prepared ahead: what is left needs the database (speakers,
    ids), in a few set-wise statements."""
    speakers = _speakers_for(prepared.kept, stated_on=article.published)
    speaker_ids = []
    for quote, eq in zip(prepared.quotes, prepared.kept, strict=True):
        speaker = speakers.get(normalise_name(eq.speaker)) if eq.speaker else None
        quote.article, quote.speaker = article, speaker
        speaker_ids.append(speaker.pk if speaker else None)
    result = StoreResult()
    if not prepared.quotes:
        return result
    params = {
        **prepared.params,
        "article_id": [article.pk] * len(prepared.quotes),
        "speaker_id": speaker_ids,
    }
    result.created = insert_with_history(prepared.quotes, params=params)
    quotes_link_parts(article_ids=[article.pk])
    pairs = [
        (quote.pk, topic_id)
        for quote, topic_ids in zip(result.created, prepared.topic_ids, strict=True)
        for topic_id in topic_ids
    ]
    if pairs:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO quotes_quote_topics (quote_id, topic_id) "
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
                [[p[0] for p in pairs], [p[1] for p in pairs]],
            )
    if link_statements:
        statements_link(quotes=result.created)
    return result


@transaction.atomic(savepoint=False)
def quotes_store_for_article(
    *,
    article: Article,
    extracted: Sequence[ExtractedQuote],
    old_text: str | None = None,
    link_statements: bool = True,
    topics: TopicMatcher | None = None,
    new: bool = False,
    prepared: PreparedQuotes | None = None,
) -> StoreResult:
    """Store ``extracted`` as the article's machine quotes, keeping editors' decisions.

    ``old_text`` is the article's previous text when it has just changed: reviewed quotes are
    moved to where their words now stand, and dropped (counted in ``lost``) where they are gone.
    ``new``: the article was just created, so it has no quotes yet; ``prepared``: then, its
    quotes as ``quotes_prepare`` made them from ``extracted`` before the transaction opened.
    ``topics``: the taxonomy, when the caller stores many articles (read once rather than for
    each).
    """
    if new and prepared is not None:
        return _store_prepared(article=article, prepared=prepared, link_statements=link_statements)
    text = article.text
    result = StoreResult()
    existing = [] if new else list(article.quotes.all())
    reviewed = [q for q in existing if q.status in EDITOR_STATUSES]
    machine = {(q.start, q.end): q for q in existing if q.status == Quote.Status.MACHINE}
    text_changed = old_text is not None and old_text != text
    # Statements that may lose a version: pruned at the end if fewer than two articles remain.
    orphaned = {q.statement_id for q in existing if q.statement_id}

    if text_changed:  # every machine span refers to the old text
        result.deleted += (
            Quote.objects.filter(pk__in=[q.pk for q in machine.values()])
            .delete()[1]
            .get("quotes.Quote", 0)
        )
        machine = {}
        taken: set[tuple[int, int]] = set()
        moved, lost = [], []
        for quote in sorted(reviewed, key=lambda q: q.start):
            if _relocate(quote, text, taken):
                taken.add((quote.start, quote.end))
                moved.append(quote)
                continue
            # Its words changed: the new words in their place keep the editor's decision when
            # they still share words with the old ones; otherwise the decision stands but is
            # flagged for another look. Either way the history records the change.
            span = reworded_span(old_text, text, quote.start, quote.end)
            if span is None or span in taken:
                lost.append(quote)
                continue
            old_words = quote.text
            quote.start, quote.end = span
            quote.text = text[quote.start : quote.end]
            quote.paragraph = paragraph_index(text, quote.start)
            quote.mention_start = quote.mention_end = None
            if _shares_words(old_words, quote.text):
                quote._change_reason = "Its words changed in the article; the decision stands"
                result.reworded += 1
            else:
                quote.needs_another_look = True
                quote._change_reason = "Its words changed in the article; needs another look"
                result.another_look += 1
            quote.save()
            taken.add(span)
        for quote in lost:  # the history keeps the deleted quote and why
            quote._change_reason = "Its words are no longer in the article"
            quote.delete()
        for quote in moved:
            quote.save(
                update_fields=[
                    "start",
                    "end",
                    "paragraph",
                    "mention_start",
                    "mention_end",
                    "updated_at",
                ]
            )
        reviewed = moved + [q for q in reviewed if q.pk and q not in moved and q not in lost]
        result.lost = len(lost)
    result.kept = len(reviewed)

    blocked = sorted((q.start, q.end) for q in reviewed)
    blocked_starts = [s for s, _ in blocked]
    reach = list(itertools.accumulate((e for _, e in blocked), max))  # furthest end so far

    def overlaps_reviewed(start: int, end: int) -> bool:
        """Whether a reviewed span overlaps [start, end): of those starting before ``end``,
        the furthest reaching one ends after ``start`` (a bisection, not a scan)."""
        n = bisect.bisect_left(blocked_starts, end)
        return n > 0 and reach[n - 1] > start

    kept = _kept(text, extracted, overlaps_reviewed if blocked else None)
    speakers = _speakers_for(kept, stated_on=article.published)
    wanted: dict[tuple[int, int], dict] = {}
    for eq in kept:
        speaker = speakers.get(normalise_name(eq.speaker)) if eq.speaker else None
        fields = _fields_from(eq, text, speaker)
        wanted[(fields["start"], fields["end"])] = fields

    stale = [q.pk for span, q in machine.items() if span not in wanted]
    if stale:
        result.deleted += Quote.objects.filter(pk__in=stale).delete()[1].get("quotes.Quote", 0)

    new = []
    for span, fields in wanted.items():
        quote = machine.get(span)
        if quote is None:
            new.append(Quote(article=article, **fields))
            continue
        changed = [f for f in _COMPARED if getattr(quote, f) != fields[f]]
        if changed:
            for name in changed:
                setattr(quote, name, fields[name])
            quote.save(update_fields=[*changed, "updated_at"])
            result.updated.append(quote)
    result.created = insert_with_history(new)  # with their history records, in one query
    touched = result.created + result.updated
    for quote in touched:
        quote.article = article
    if touched or result.deleted or text_changed:
        quotes_link_parts(article_ids=[article.pk])
    topics = topics or TopicMatcher()
    quote_topics_assign(quotes=result.created, matcher=topics, new=True)
    quote_topics_assign(quotes=result.updated, matcher=topics)
    if link_statements:
        statements_link(quotes=touched)
    if orphaned:
        statements_prune(ids=orphaned)
    return result


# --- claims and their parts -------------------------------------------------------------------

# Each quote's smallest enclosing (public) quote of the same article: the claim its words stand
# in. Only rows whose value changes are written. A quote enclosing another starts at most the
# article's longest quote before it: each quote reads that stretch of the index on (article,
# start, end), not every quote before it (which made an article of 25,000 quotes quadratic).
_PARTS_SQL = """
WITH longest AS (
    SELECT article_id, max("end" - start) AS reach FROM quotes_quote
    WHERE article_id = ANY(%s) AND status <> 'rejected' GROUP BY article_id
),
p AS (
    SELECT q.id, (
        SELECT o.id FROM quotes_quote o
        WHERE o.article_id = q.article_id AND o.id <> q.id AND o.status <> 'rejected'
          AND o.start BETWEEN q.start - l.reach AND q.start AND o."end" >= q."end"
          AND o."end" - o.start > q."end" - q.start
        ORDER BY o."end" - o.start, o.id LIMIT 1
    ) AS parent
    FROM quotes_quote q LEFT JOIN longest l USING (article_id)
    WHERE q.article_id = ANY(%s)
)
UPDATE quotes_quote q SET part_of_id = p.parent
FROM p WHERE q.id = p.id AND q.part_of_id IS DISTINCT FROM p.parent
"""


def quotes_link_parts(*, article_ids: Iterable[int]) -> int:
    """Set ``part_of`` on the quotes of these articles (one statement); returns rows changed."""
    ids = list(article_ids)
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_PARTS_SQL, [ids, ids])
        return cursor.rowcount


# --- statements -------------------------------------------------------------------------------

# Two versions are one statement when, folded (case, punctuation, accents):
#  - they are equal, or one contains the other word for word (Lavrov's "baseless," in one outlet
#    stands in his longer quote in another);
#  - the shorter, of FUZZY_MIN_WORDS words or more, is nearly contained in the longer: pg_trgm's
#    word_similarity, or the share of its words found in order (first five letters compared),
#    is at least FUZZY_CONTAIN ("suspicion that has" / "suspicions that have"; "with adherence
#    to [commitments made under] the Minsk agreements");
#  - they are similar overall (pg_trgm similarity >= SIMILAR), both of FUZZY_MIN_WORDS words.
# Those are "weak" matches, enough for one speaker's quotes. Quotes of different speakers join
# a statement, as a conflict, only on "strong" matches: equal texts, or CONFLICT_MIN_WORDS words
# or more contained (nearly) whole, or similarity of 0.8 and more.
# A quote of SHORT_MAX_WORDS words or fewer ("baseless", "step forward") says too little on its
# own: it joins only a version by the same speaker that contains it word for word and shares a
# topic with it (topics come from the sentence around each quote), so Lavrov's "baseless" about
# interference joins his longer quote about interference, not his "baseless" about Syria.
MIN_CHARS = 4
FUZZY_MIN_WORDS = 4
FUZZY_CONTAIN = 0.7
SIMILAR = 0.6
CONFLICT_MIN_WORDS = 5
SHORT_MAX_WORDS = 2
# The share of the shorter version's lexemes the longer must hold for the database to offer
# two quotes of one speaker as candidates (they are then compared with the rules above).
CANDIDATE_OVERLAP = 0.6


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    """The folded words of a text; cached: a new quote is compared with up to 60 candidates,
    and each comparison folds both texts several times (a third of storing at 1M)."""
    return tuple(fold(text).split())


def word_coverage(short: Sequence[str], long_: Sequence[str]) -> float:
    """Share of ``short``'s words found in order in ``long_`` (comparing first five letters)."""
    if not short:
        return 0.0
    a, b = [w[:5] for w in short], [w[:5] for w in long_]
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) / len(a)


def _content_share(short: Sequence[str], long_: Sequence[str]) -> float:
    """Share of the longer words of ``short`` found in ``long_``: trigram overlap alone would
    join 'the US wants to work with Russia' to 'We urge Russia to work with us'."""
    content = {w[:5] for w in short if len(w) > 4}
    return len(content & {w[:5] for w in long_}) / len(content) if content else 1.0


_SCORES = "scores"  # the words alone do not decide: the trigram scores are needed


def _strength_by_words(wa: Sequence[str], wb: Sequence[str]) -> str | None:
    """What the folded words alone say: equal, or one inside the other word for word; None
    when they cannot match; ``_SCORES`` when only the trigram scores can tell."""
    if not wa or not wb:
        return None
    fa, fb = " ".join(wa), " ".join(wb)
    if fa == fb:
        return "strong" if len(wa) >= 3 else "weak"
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    n = len(short)
    if f" {' '.join(short)} " in f" {' '.join(long_)} " and len(" ".join(short)) >= MIN_CHARS:
        return "strong" if n >= CONFLICT_MIN_WORDS else "weak"
    return _SCORES if n >= FUZZY_MIN_WORDS else None


def needs_scores(a: str, b: str) -> bool:
    """Whether ``match_strength`` of these two texts reads their trigram scores (computed
    only for the pairs that need them: pg_trgm's word_similarity costs about as much as all
    the rest of finding a quote's candidates)."""
    return _strength_by_words(_words(a), _words(b)) == _SCORES


def match_strength(a: str, b: str, sim: float, a_in_b: float, b_in_a: float) -> str | None:
    """'strong', 'weak' or None: how surely two quote texts are versions of one statement."""
    wa, wb = _words(a), _words(b)
    found = _strength_by_words(wa, wb)
    if found != _SCORES:
        return found
    a_shorter = len(wa) <= len(wb)
    short, long_ = (wa, wb) if a_shorter else (wb, wa)
    n = len(short)
    cover = max(a_in_b if a_shorter else b_in_a, word_coverage(short, long_))
    if cover >= FUZZY_CONTAIN and _content_share(short, long_) >= FUZZY_CONTAIN:
        return "strong" if cover >= 0.9 and n >= CONFLICT_MIN_WORDS else "weak"
    if sim >= SIMILAR:
        return "strong" if sim >= 0.8 else "weak"
    return None


def versions_match(
    a: str,
    b: str,
    *,
    same_speaker: bool,
    shared_topic: bool,
    sim: float,
    a_in_b: float,
    b_in_a: float,
) -> bool:
    """Whether two quotes of different articles are versions of one statement."""
    strength = match_strength(a, b, sim, a_in_b, b_in_a)
    if strength is None or (strength == "weak" and not same_speaker):
        return False
    if min(len(_words(a)), len(_words(b))) <= SHORT_MAX_WORDS:
        return same_speaker and shared_topic
    return True


# Candidates for all the quotes of a batch in one query, found through indexes and bounded per
# quote, so storing an article costs the same in an empty database and in one of millions of
# quotes:
# (1) any speaker's quotes sharing a run of words with the new one, through its fingerprints
# (``QuoteFingerprint``: two quotes sharing five words in a row share one). Each fingerprint's
# entries are read from its primary key, newest article first, skipping the new quote's own
# article by key range, at most PER_FINGERPRINT on either side of it, however many quotes
# share the fingerprint; the CANDIDATES_PER_QUOTE sharing most fingerprints (then the newest)
# are kept: equal versions, the new one standing in a longer one, a shorter one in the new one.
# (2) at most SAME_SPEAKER_CANDIDATES quotes of the same speaker from articles published within
# SAME_SPEAKER_DAYS days of the new one's, the speaker's undated ones, and for an undated
# new one the speaker's newest (each read from the index ``quote_speaker_newest``), that share
# most lexemes with the new one: a shorter older version inside the new one, or a close one.
# They are read once per speaker and article (``near``), not once per quote, skipping the
# article's own quotes by key range. Versions of one statement are reported within days of
# each other; a speaker's quotes from years before are not read.
# Only those few pairs are then scored with pg_trgm and compared in Python (``versions_match``).
# Beyond CANDIDATES_PER_QUOTE equal versions, the others join through the statement of those
# found. Each lateral subquery runs as one index scan (LIMIT keeps the planner from joining
# every new quote with every stored one). In (2), the lexemes two quotes share are those of
# the stored one that ts_delete would remove. Whether a pair shares a topic is looked up in the
# new quote's few topics, read once.
CANDIDATES_PER_QUOTE = 10
PER_FINGERPRINT = 10
SAME_SPEAKER_CANDIDATES = 50
SAME_SPEAKER_DAYS = 31
_CANDIDATES_SQL = """
WITH n AS MATERIALIZED (
    SELECT idx, t, n.id, n.article_id, speaker_id, a.published,
           tsvector_to_array(to_tsvector('english', t)) AS lexemes,
           ARRAY(SELECT topic_id FROM quotes_quote_topics WHERE quote_id = n.id) AS topics
    FROM unnest(%(texts)s::text[], %(ids)s::bigint[], %(articles)s::bigint[],
                %(speakers)s::bigint[]) WITH ORDINALITY AS n(t, id, article_id, speaker_id, idx)
    LEFT JOIN articles_article a ON a.id = n.article_id
),
shared AS (
    SELECT n.idx, h.quote_id, count(*) AS shared
    FROM n CROSS JOIN LATERAL unnest(quote_fingerprints(n.t)) AS f(fingerprint)
    CROSS JOIN LATERAL (
        (SELECT quote_id FROM quotes_quotefingerprint
         WHERE fingerprint = f.fingerprint AND article_id < n.article_id
         ORDER BY article_id DESC, quote_id DESC LIMIT %(per_fingerprint)s)
        UNION ALL
        (SELECT quote_id FROM quotes_quotefingerprint
         WHERE fingerprint = f.fingerprint AND article_id > n.article_id
         ORDER BY article_id DESC, quote_id DESC LIMIT %(per_fingerprint)s)
    ) h
    GROUP BY n.idx, h.quote_id
),
ranked AS (
    SELECT s.idx, q.id, q.speaker_id, q.statement_id, q.text,
           row_number() OVER (PARTITION BY s.idx ORDER BY s.shared DESC, q.id DESC) AS rank
    FROM shared s JOIN quotes_quote q ON q.id = s.quote_id
    WHERE q.speaker_id IS NOT NULL AND q.status <> 'rejected'
),
near AS MATERIALIZED (  -- once per speaker and article, not once per quote
    SELECT p.speaker_id AS for_speaker, p.article_id AS for_article, q.*
    FROM (SELECT DISTINCT speaker_id, article_id, published FROM n
          WHERE speaker_id IS NOT NULL) p
    CROSS JOIN LATERAL (
        (SELECT id, speaker_id, statement_id, status, text, search_vector FROM quotes_quote
         WHERE speaker_id = p.speaker_id AND p.published IS NOT NULL
           AND published BETWEEN p.published - %(days)s AND p.published + %(days)s
           AND article_id <> p.article_id
         ORDER BY published DESC, article_id DESC, start
         LIMIT %(per_speaker)s)
        UNION ALL
        (SELECT id, speaker_id, statement_id, status, text, search_vector FROM quotes_quote
         WHERE speaker_id = p.speaker_id AND published IS NULL AND article_id < p.article_id
         ORDER BY published DESC NULLS LAST, article_id DESC, start
         LIMIT %(per_speaker)s)
        UNION ALL
        (SELECT id, speaker_id, statement_id, status, text, search_vector FROM quotes_quote
         WHERE speaker_id = p.speaker_id AND published IS NULL AND article_id > p.article_id
         ORDER BY published DESC NULLS LAST, article_id DESC, start
         LIMIT %(per_speaker)s)
        UNION ALL
        (SELECT id, speaker_id, statement_id, status, text, search_vector FROM quotes_quote
         WHERE speaker_id = p.speaker_id AND p.published IS NULL AND published IS NOT NULL
           AND article_id <> p.article_id
         ORDER BY published DESC NULLS LAST, article_id DESC, start
         LIMIT %(per_speaker)s)
    ) q
    WHERE q.status <> 'rejected'
),
pair AS (
    SELECT idx, id, speaker_id, statement_id, text FROM ranked WHERE rank <= %(per_quote)s
    UNION
    SELECT n.idx, q.id, q.speaker_id, q.statement_id, q.text
    FROM n JOIN near q ON q.for_speaker = n.speaker_id AND q.for_article = n.article_id
    CROSS JOIN LATERAL (SELECT ts_filter(q.search_vector, '{a}') AS words) w
    WHERE length(w.words) > 0
      AND length(w.words) - length(ts_delete(w.words, n.lexemes))
          >= %(overlap)s * least(length(w.words), cardinality(n.lexemes))
)
SELECT q.idx, q.id, q.speaker_id, q.statement_id, q.text,
       EXISTS (
           SELECT 1 FROM quotes_quote_topics WHERE quote_id = q.id AND topic_id = ANY(n.topics)
       )
FROM pair q JOIN n USING (idx)
"""


def statement_refresh(*, statement: Statement) -> Statement | None:
    """Recompute text (longest version), speaker (most frequent) and conflict; delete if empty."""
    quotes = list(statement.quotes.exclude(status=Quote.Status.REJECTED))
    if len(quotes) < 1:
        statement.delete()
        return None
    _statement_summarise(statement, [(q.text, q.speaker_id) for q in quotes])
    # Not n_articles: the triggers keep it, and this copy may be older than theirs.
    statement.save(update_fields=["text", "speaker", "has_conflict", "updated_at"])
    return statement


def _statement_summarise(statement: Statement, versions: list[tuple[str, int | None]]) -> None:
    speakers = Counter(speaker_id for _, speaker_id in versions if speaker_id)
    statement.text = max((text for text, _ in versions), key=len)
    statement.speaker_id = speakers.most_common(1)[0][0] if speakers else None
    statement.has_conflict = len(speakers) > 1


_SCORES_SQL = """
SELECT similarity(b, a), word_similarity(a, b), word_similarity(b, a)
FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS p(a, b, i) ORDER BY i
"""


def candidates_query(quotes: Sequence[Quote]) -> tuple[str, dict]:
    """The query that reads the stored candidates of ``quotes``, with its parameters."""
    return _CANDIDATES_SQL, {
        "texts": [q.text for q in quotes],
        "ids": [q.pk for q in quotes],
        "articles": [q.article_id for q in quotes],
        "speakers": [q.speaker_id for q in quotes],
        "overlap": CANDIDATE_OVERLAP,
        "per_quote": CANDIDATES_PER_QUOTE,
        "per_fingerprint": PER_FINGERPRINT,
        "per_speaker": SAME_SPEAKER_CANDIDATES,
        "days": SAME_SPEAKER_DAYS,
    }


def _matching_candidates(quotes: Sequence[Quote]) -> dict[int, list[tuple]]:
    """For each quote (by 1-based index), the stored versions it matches:
    ``(id, speaker_id, statement_id, text)``, locked, with their current statement."""
    sql, params = candidates_query(quotes)
    with connection.cursor() as cursor:
        for _attempt in range(3):
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            # pg_trgm's scores (similarity, new in stored, stored in new) of the pairs the
            # words alone do not decide, in one query
            scored = [
                i for i, row in enumerate(rows) if needs_scores(quotes[row[0] - 1].text, row[4])
            ]
            scores = dict.fromkeys(range(len(rows)), (0.0, 0.0, 0.0))
            if scored:
                cursor.execute(
                    _SCORES_SQL,
                    [[quotes[rows[i][0] - 1].text for i in scored], [rows[i][4] for i in scored]],
                )
                scores.update(zip(scored, cursor.fetchall(), strict=True))
            by_index: dict[int, list[tuple]] = {}
            for i, (idx, cid, speaker_id, statement_id, ctext, shared) in enumerate(rows):
                quote = quotes[idx - 1]
                sim, q_in_c, c_in_q = scores[i]
                if versions_match(
                    quote.text,
                    ctext,
                    same_speaker=speaker_id == quote.speaker_id,
                    shared_topic=shared,
                    sim=sim,
                    a_in_b=q_in_c,
                    b_in_a=c_in_q,
                ):
                    by_index.setdefault(idx, []).append((cid, speaker_id, statement_id, ctext))
            seen = {row[0]: row[2] for found in by_index.values() for row in found}
            if not seen:
                return by_index
            cursor.execute(
                "SELECT id, statement_id FROM quotes_quote WHERE id = ANY(%s) "
                "ORDER BY id FOR UPDATE",
                [sorted(seen)],
            )
            if dict(cursor.fetchall()) == seen:
                break  # nobody moved them meanwhile: what was read holds until commit
    return by_index


@transaction.atomic(savepoint=False)
def statements_link(*, quotes: Sequence[Quote]) -> list[Statement]:
    """Join each quote with the matching quotes of other articles into one statement.

    One query finds the candidates of all ``quotes``; the statements are then worked out in
    Python and written with a handful of queries. No lock serialises ingestion: the matching
    stored quotes are locked (``FOR UPDATE``, in id order), so a concurrent ingest linking the
    same quotes waits for this one to commit and then joins the statement it made (read again
    here when one of them changed statement meanwhile). Two articles stored at the same moment
    are not seen by each other: their words are linked when a third version arrives.
    """
    quotes = [q for q in quotes if q.speaker_id and q.status != Quote.Status.REJECTED]
    if not quotes:
        return []
    by_index = _matching_candidates(quotes)
    # Which statement each quote belongs to: an existing statement's id, or a negative key for
    # one to create. Quotes this batch links are tracked here, not read back.
    member: dict[int, int | None] = {q.pk: q.statement_id for q in quotes}
    versions: dict[int, tuple[str, int]] = {q.pk: (q.text, q.speaker_id) for q in quotes}
    merged: dict[int, int] = {}  # existing statement id -> the one it was merged into
    linked: set[int] = set()
    fresh = 0
    for idx, quote in enumerate(quotes, start=1):
        ids = []
        for cid, speaker_id, statement_id, ctext in by_index.get(idx, []):
            ids.append(cid)
            member.setdefault(cid, statement_id)
            versions[cid] = (ctext, speaker_id)
        if not ids:
            continue
        keys = {member[i] for i in [*ids, quote.pk]} - {None}
        if keys:
            existing = sorted(k for k in keys if k > 0)
            target = existing[0] if existing else max(keys)
            for other in keys - {target}:  # this quote bridges statements: merge them
                if other > 0:
                    merged[other] = target
                for pk, key in member.items():
                    if key == other:
                        member[pk] = target
        else:
            fresh -= 1
            target = fresh
        for pk in [*ids, quote.pk]:
            member[pk] = target
            linked.add(pk)
    touched = {member[pk] for pk in linked}
    statements = _statements_write(
        {pk: key for pk, key in member.items() if key in touched}, versions, merged
    )
    new_ids = {key: s.pk for key, s in statements.items()}
    for quote in quotes:
        key = member[quote.pk]
        quote.statement_id = new_ids.get(key, key)
    return list(statements.values())


_MERGE_SQL = """
UPDATE quotes_quote q SET statement_id = m.final
FROM unnest(%s::bigint[], %s::bigint[]) AS m(old, final) WHERE q.statement_id = m.old
"""
_ASSIGN_SQL = """
UPDATE quotes_quote q SET statement_id = v.statement_id
FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, statement_id)
WHERE q.id = v.id AND q.statement_id IS DISTINCT FROM v.statement_id
"""


_SUMMARY_SQL = """
UPDATE quotes_statement s
SET text = v.text, speaker_id = v.speaker_id, has_conflict = v.has_conflict, updated_at = %s
FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::boolean[])
    AS v(id, text, speaker_id, has_conflict)
WHERE s.id = v.id
"""


def _statements_write(
    member: dict[int, int | None], versions: dict[int, tuple[str, int]], merged: dict[int, int]
) -> dict[int, Statement]:
    """Write what ``statements_link`` worked out: create, merge, assign and summarise.
    Returns the statements touched by their key in ``member``."""
    groups: dict[int, list[int]] = {}
    for pk, key in member.items():
        if key is not None:
            groups.setdefault(key, []).append(pk)
    if not groups and not merged:
        return {}
    now = timezone.now()
    new_keys = sorted(k for k in groups if k < 0)
    created = Statement.objects.bulk_create(
        [Statement(text="", created_at=now, updated_at=now) for _ in new_keys]
    )
    ids = dict(zip(new_keys, [s.pk for s in created], strict=True))
    # Each write is one statement for the whole batch, however many statements it touches
    # (the triggers on quotes then run once, not once per statement).
    with connection.cursor() as cursor:
        if merged:  # a quote bridged statements: the later ones join the first
            finals = []
            for old in merged:
                final = old
                while final in merged:
                    final = merged[final]
                finals.append(final)
            cursor.execute(_MERGE_SQL, [list(merged), finals])
            Statement.objects.filter(pk__in=list(merged)).delete()
        pks = [pk for key in groups for pk in groups[key]]
        cursor.execute(
            _ASSIGN_SQL, [pks, [ids.get(key, key) for key in groups for _ in groups[key]]]
        )
    # Summaries: versions of new statements are all known here; existing ones may have more.
    targets = {ids.get(key, key) for key in groups}
    known: dict[int, list[tuple[str, int]]] = {
        ids[key]: [versions[pk] for pk in groups[key]] for key in new_keys
    }
    existing = [sid for sid in targets if sid not in known]
    if existing:
        for sid, text, speaker_id in (
            Quote.objects.filter(statement_id__in=existing)
            .exclude(status=Quote.Status.REJECTED)
            .values_list("statement_id", "text", "speaker_id")
        ):
            known.setdefault(sid, []).append((text, speaker_id))
    statements = [
        *created,
        *Statement.objects.filter(pk__in=existing).only("pk", "created_at"),
    ]
    for statement in statements:
        _statement_summarise(statement, known[statement.pk])
        statement.updated_at = now
    with connection.cursor() as cursor:  # what bulk_update does, without its CASE per row
        cursor.execute(
            _SUMMARY_SQL,
            [
                now,
                [st.pk for st in statements],
                [st.text for st in statements],
                [st.speaker_id for st in statements],
                [st.has_conflict for st in statements],
            ],
        )
    by_id = {s.pk: s for s in statements}
    return {key: by_id[ids.get(key, key)] for key in groups}


def statement_link(*, quote: Quote) -> Statement | None:
    """Link one quote (after an editor changed its speaker or span, say)."""
    statements_link(quotes=[quote])
    quote.refresh_from_db(fields=["statement"])
    return quote.statement


@transaction.atomic(savepoint=False)
def statements_prune(*, ids: Iterable[int] | None = None) -> int:
    """Delete statements (all, or those in ``ids``) no longer reported by two articles."""
    statements = Statement.objects.all() if ids is None else Statement.objects.filter(pk__in=ids)
    lonely = statements.annotate(
        n=Count("quotes__article", distinct=True, filter=~Q(quotes__status="rejected"))
    ).filter(n__lt=2)
    ids = list(lonely.values_list("pk", flat=True))
    if ids:
        Quote.objects.filter(statement_id__in=ids).update(statement=None)
        Statement.objects.filter(pk__in=ids).delete()
    return len(ids)
