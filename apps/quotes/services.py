"""Writes to quotes, their topics and statements.

- ``quotes_store_for_article``: store an extraction's quotes for an article. Machine quotes are
  replaced (updated in place where the span is the same, so their ids and URLs hold); quotes an
  editor confirmed, corrected or rejected are kept as they are, moved to where their words stand
  if the article's text changed, and new machine quotes never overlap them.
- ``quote_topics_assign`` / ``topics_reassign``: topics from the quote's words and its sentence.
- ``statements_link`` / ``statement_link``: join quotes of other articles whose words match
  (pg_trgm on the trigram index of ``quote.text``) into one statement; flag conflicts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Count, Q

from apps.articles.models import Article
from apps.quotes.extraction import ExtractedQuote
from apps.quotes.extraction.names import fold, normalise_name
from apps.quotes.models import Quote, Statement, Topic
from apps.speakers.models import Speaker, SpeakerAlias
from apps.speakers.services import is_name_variant, speaker_alias_record, speaker_resolve

EDITOR_STATUSES = (Quote.Status.CONFIRMED, Quote.Status.CORRECTED, Quote.Status.REJECTED)

# --- topics -----------------------------------------------------------------------------------


def _keyword_pattern(keyword: str) -> str:
    keyword = keyword.strip()
    prefix = keyword.endswith("*")
    keyword = keyword.rstrip("*").strip()
    if not keyword:
        return ""
    body = r"[\s-]+".join(re.escape(word) for word in keyword.split())
    if prefix:
        return rf"\b{body}\w*"
    ending = r"(?:s|es|ed|d|ing)?" if keyword[-1:].isalpha() else ""
    pattern = rf"\b{body}{ending}\b"
    # All-capitals keywords (INF, JCPOA) are acronyms: match them only in capitals.
    return pattern if keyword.isupper() and len(keyword) > 1 else f"(?i:{pattern})"


@lru_cache(maxsize=256)
def _compiled(keywords: tuple[str, ...]) -> re.Pattern | None:
    parts = [p for p in (_keyword_pattern(k) for k in keywords) if p]
    return re.compile("|".join(parts)) if parts else None


class TopicMatcher:
    """Which topics a piece of text is about, from each topic's keywords."""

    def __init__(self, topics: Iterable[Topic] | None = None):
        topics = list(Topic.objects.all()) if topics is None else list(topics)
        self.rules = [(t, _compiled(tuple(t.keywords or ()))) for t in topics]

    def match(self, text: str) -> list[Topic]:
        return [t for t, rx in self.rules if rx is not None and rx.search(text)]


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) the span [start:end] stands in."""
    left = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 1000), start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.start() + 1 if m else len(text)
    return text[left:right]


def paragraph_around(text: str, start: int, end: int) -> str:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return text[left : right if right >= 0 else len(text)]


def topics_for_span(matcher: TopicMatcher, text: str, start: int, end: int) -> list[Topic]:
    """A quote's topics come from its own words and the sentence around it; when those say
    nothing, from its paragraph ("baseless" in a paragraph about meddling)."""
    found = matcher.match(sentence_around(text, start, end))
    return found or matcher.match(paragraph_around(text, start, end))


@transaction.atomic
def quote_topics_assign(
    *, quotes: Sequence[Quote], matcher: TopicMatcher | None = None
) -> dict[int, list[Topic]]:
    """Replace the topics of ``quotes`` by those their words and context call for."""
    if not quotes:
        return {}
    matcher = matcher or TopicMatcher()
    Through = Quote.topics.through
    assigned: dict[int, list[Topic]] = {}
    rows = []
    for quote in quotes:
        topics = topics_for_span(matcher, quote.article.text, quote.start, quote.end)
        assigned[quote.pk] = topics
        rows += [Through(quote_id=quote.pk, topic_id=t.pk) for t in topics]
    Through.objects.filter(quote_id__in=[q.pk for q in quotes]).delete()
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


def paragraph_index(text: str, offset: int) -> int:
    """0-based index of the non-blank line (paragraph) ``offset`` stands in."""
    return sum(1 for line in text[:offset].split("\n")[:-1] if line.strip())


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


class _SpeakerCache:
    """Speakers by name for one extraction: known spellings fetched in one query."""

    def __init__(self, extracted: Sequence[ExtractedQuote] = ()):
        self.by_name: dict = {}
        names = {n for eq in extracted for n in (eq.speaker, eq.speaker_mention) if n}
        keys = {normalise_name(n): n for n in names}
        self.known = {
            alias.normalised: alias.speaker
            for alias in SpeakerAlias.objects.select_related("speaker").filter(
                normalised__in=list(keys)
            )
        }
        for key, speaker in self.known.items():
            if keys[key] == speaker.name or key == normalise_name(speaker.name):
                self.by_name[keys[key]] = speaker

    def get(self, eq: ExtractedQuote) -> Speaker | None:
        if not eq.speaker:
            return None
        speaker = self.by_name.get(eq.speaker) or self.known.get(normalise_name(eq.speaker))
        if speaker is None:
            speaker = speaker_resolve(
                name=eq.speaker, role=eq.speaker_role or "", kind=eq.speaker_kind or "person"
            )
            self.by_name[eq.speaker] = speaker
        if eq.speaker_mention and is_name_variant(eq.speaker_mention, speaker):
            key = ("alias", eq.speaker_mention)
            if normalise_name(eq.speaker_mention) in self.known:
                self.by_name[key] = speaker  # type: ignore[index]
            if key not in self.by_name:
                speaker_alias_record(speaker=speaker, name=eq.speaker_mention)
                self.by_name[key] = speaker  # type: ignore[index]
        return speaker


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


@transaction.atomic
def quotes_store_for_article(
    *,
    article: Article,
    extracted: Sequence[ExtractedQuote],
    old_text: str | None = None,
    link_statements: bool = True,
) -> StoreResult:
    """Store ``extracted`` as the article's machine quotes, keeping editors' decisions.

    ``old_text`` is the article's previous text when it has just changed: reviewed quotes are
    moved to where their words now stand, and dropped (counted in ``lost``) where they are gone.
    """
    text = article.text
    result = StoreResult()
    existing = list(article.quotes.all())
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
            else:
                lost.append(quote.pk)
        if lost:
            Quote.objects.filter(pk__in=lost).delete()
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
        reviewed, result.lost = moved, len(lost)
    result.kept = len(reviewed)

    blocked = sorted((q.start, q.end) for q in reviewed)

    def overlaps_reviewed(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in blocked)

    speakers = _SpeakerCache(extracted)
    wanted: dict[tuple[int, int], dict] = {}
    for eq in sorted(extracted, key=lambda q: (q.start, -q.end)):
        if (eq.start, eq.end) in wanted or overlaps_reviewed(eq.start, eq.end):
            continue
        fields = _fields_from(eq, text, speakers.get(eq))
        if fields is not None:
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
    if new:
        from simple_history.utils import bulk_create_with_history

        result.created = bulk_create_with_history(new, Quote)
        if any(q.pk is None for q in result.created):  # backends that return no ids
            spans = [(q.start, q.end) for q in new]
            result.created = [
                q
                for q in article.quotes.filter(status=Quote.Status.MACHINE)
                if (q.start, q.end) in spans
            ]
    touched = result.created + result.updated
    for quote in touched:
        quote.article = article
    quote_topics_assign(quotes=touched)
    if link_statements:
        statements_link(quotes=touched)
    if orphaned:
        statements_prune(ids=orphaned)
    return result


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
MIN_CHARS = 4
FUZZY_MIN_WORDS = 4
FUZZY_CONTAIN = 0.7
SIMILAR = 0.6
CONFLICT_MIN_WORDS = 5


def _words(text: str) -> list[str]:
    return fold(text).split()


def word_coverage(short: list[str], long_: list[str]) -> float:
    """Share of ``short``'s words found in order in ``long_`` (comparing first five letters)."""
    if not short:
        return 0.0
    a, b = [w[:5] for w in short], [w[:5] for w in long_]
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) / len(a)


def match_strength(a: str, b: str, sim: float, a_in_b: float, b_in_a: float) -> str | None:
    """'strong', 'weak' or None: how surely two quote texts are versions of one statement."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return None
    fa, fb = " ".join(wa), " ".join(wb)
    if fa == fb:
        return "strong" if len(wa) >= 3 else "weak"
    a_shorter = len(wa) <= len(wb)
    short, long_ = (wa, wb) if a_shorter else (wb, wa)
    n = len(short)
    if f" {' '.join(short)} " in f" {' '.join(long_)} " and len(" ".join(short)) >= MIN_CHARS:
        return "strong" if n >= CONFLICT_MIN_WORDS else "weak"
    if n >= FUZZY_MIN_WORDS:
        cover = max(a_in_b if a_shorter else b_in_a, word_coverage(short, long_))
        if cover >= FUZZY_CONTAIN:
            return "strong" if cover >= 0.9 and n >= CONFLICT_MIN_WORDS else "weak"
        if sim >= SIMILAR:
            return "strong" if sim >= 0.8 else "weak"
    return None


_CANDIDATES_SQL = """
SELECT n.idx, q.id, q.speaker_id, q.statement_id, q.text,
       similarity(q.text, n.t), word_similarity(n.t, q.text), word_similarity(q.text, n.t)
FROM unnest(%s::text[], %s::bigint[]) WITH ORDINALITY AS n(t, article_id, idx)
JOIN LATERAL (
    SELECT id, speaker_id, statement_id, text FROM quotes_quote q
    WHERE q.article_id <> n.article_id
      AND q.speaker_id IS NOT NULL
      AND q.status <> 'rejected'
      AND (q.text %% n.t OR q.text %%> n.t OR q.text <%% n.t)
    ORDER BY similarity(q.text, n.t) DESC
    LIMIT 50
) q ON true
"""


def statement_refresh(*, statement: Statement) -> Statement | None:
    """Recompute text (longest version), speaker (most frequent) and conflict; delete if empty."""
    quotes = list(statement.quotes.exclude(status=Quote.Status.REJECTED))
    if len(quotes) < 1:
        statement.delete()
        return None
    speakers = Counter(q.speaker_id for q in quotes if q.speaker_id)
    statement.text = max((q.text for q in quotes), key=len)
    statement.speaker_id = speakers.most_common(1)[0][0] if speakers else None
    statement.has_conflict = len(speakers) > 1
    statement.save()
    return statement


@transaction.atomic
def statements_link(*, quotes: Sequence[Quote]) -> list[Statement]:
    """Join each quote with the matching quotes of other articles into one statement.

    One query finds the candidates of all ``quotes`` through the trigram index; an advisory lock
    serialises linking between concurrent ingests so two never create twin statements.
    """
    quotes = [q for q in quotes if q.speaker_id and q.status != Quote.Status.REJECTED]
    if not quotes:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('quotes.statements_link'))")
        cursor.execute(_CANDIDATES_SQL, [[q.text for q in quotes], [q.article_id for q in quotes]])
        rows = cursor.fetchall()
    by_index: dict[int, list[tuple]] = {}
    for idx, *rest in rows:
        by_index.setdefault(idx, []).append(tuple(rest))

    touched: dict[int, Statement] = {}
    for idx, quote in enumerate(quotes, start=1):
        matches = []
        for cid, speaker_id, statement_id, ctext, sim, q_in_c, c_in_q in by_index.get(idx, []):
            strength = match_strength(quote.text, ctext, sim, q_in_c, c_in_q)
            if strength is None:
                continue
            if speaker_id != quote.speaker_id and strength != "strong":
                continue
            matches.append((cid, statement_id))
        if not matches:
            continue
        # Read the statement ids afresh: earlier quotes of this batch may have set them.
        ids = [cid for cid, _ in matches]
        current = dict(Quote.objects.filter(pk__in=ids).values_list("pk", "statement_id"))
        statement_ids = sorted({s for s in current.values() if s} | ({quote.statement_id} - {None}))
        if statement_ids:
            target = Statement.objects.get(pk=statement_ids[0])
            if len(statement_ids) > 1:  # this quote bridges statements: merge them
                Quote.objects.filter(statement_id__in=statement_ids[1:]).update(statement=target)
                Statement.objects.filter(pk__in=statement_ids[1:]).delete()
                for sid in statement_ids[1:]:
                    touched.pop(sid, None)
        else:
            target = Statement.objects.create(text=quote.text, speaker_id=quote.speaker_id)
        Quote.objects.filter(Q(pk__in=ids) | Q(pk=quote.pk)).update(statement=target)
        quote.statement = target
        touched[target.pk] = target
    return [s for s in (statement_refresh(statement=s) for s in touched.values()) if s]


def statement_link(*, quote: Quote) -> Statement | None:
    """Link one quote (after an editor changed its speaker or span, say)."""
    statements_link(quotes=[quote])
    quote.refresh_from_db(fields=["statement"])
    return quote.statement


@transaction.atomic
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
