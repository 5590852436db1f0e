"""Candidate speakers: for each quote, every speaker the text offers near it, and the learned
choice among them.

The rules give a quote one speaker (or none). Here each direct or partial quote is paired with
its candidates: the rules' choice, the subject of every speech cue in its paragraph within
``REACH`` characters of it (whether or not that cue framed another quote), and the speaker of
the quote before it in the same or the previous paragraph. Each pair is described
by numbers from the parse and the layout (``PAIR_FEATURES``: which side the cue stands on, how
far, whether a sentence end or another quote lies between, whether the cue's verb governs the
quoted words and how deep, whether the mention is the subject of the quote's sentence, the
mention's type ...). The chooser (LightGBM lambdarank boosters in the model file, trained by
``manage.py train_attribution``) ranks each quote's pairs, with a "none of them" row
(``none_row``) beside those of a quote the rules left without a speaker, and a softmax over the
quote's rows makes its scores probabilities. A quote takes its best candidate where that is
another than the rules' choice and the chooser prefers it by a margin (or, for a quote the rules
left without a speaker, where it is at least so likely right): both fitted out of fold with the
chooser and kept in the model file (``MARGIN`` and ``ALONE`` for a chooser without them). The
filters then judge the chosen speakers like any other (a scare quote loses its speaker whoever
proposed it).

Input: the ``Article``, its quote records and its cues. Output: the records, some with another
speaker (``extra['via'] == 'chosen'``); or, for training, each record's pairs in ``extra``.
"""

import bisect
import math
from dataclasses import dataclass

from apps.quotes.extraction import decision
from apps.quotes.extraction.cues import MENTION_TYPES, NAMED_ONLY, Cue
from apps.quotes.extraction.document import Article
from apps.quotes.extraction.quotes import attach, credit, is_sentence, note
from apps.quotes.extraction.types import KINDS, ExtractedQuote

REACH = 400  # characters between a cue and a quote for the cue to be a candidate
MARGIN = 0.15  # how much more likely right another candidate must be than the rules' choice
ALONE = 0.5  # how likely right a candidate must be for a quote the rules left without one

# how the quoted words hang in the parse: the dependency of their top token on a word outside them
QUOTE_DEPS = ("ccomp", "dobj", "xcomp", "attr", "oprd", "pobj", "conj", "appos", "advcl", "ROOT")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "pobj", "dobj", "appos", "conj")
PAIR_CATEGORIES = {
    "rule_via": decision.VIAS,
    "cue_lemma": decision.LEMMAS,
    "mention_type": MENTION_TYPES,
    "kind": KINDS,
    "quote_dep": QUOTE_DEPS,
    "subject_dep": SUBJECT_DEPS,
}
PAIR_NUMBERS = (
    "is_rule",
    "has_cue",
    "cue_after",
    "distance",
    "mention_distance",
    "same_sentence",
    "quotes_between",
    "cues_between",
    "rank",
    "candidates",
    "governs",
    "frames_other",
    "frames_this",
    "same_speaker_as_rule",
    "known_speaker",
    "cue_confidence",
    "colon",
    "words",
    "sentence",
    "ends_comma",
    "spoke_before",
    "first_in_paragraph",
    "previous_quote",
    "weak",
    "depth",
    "sentences_between",
    "parse_sentence",
    "quote_sentence_cues",
    "side_rank",
    "speakers",
    "has_rule",
    "whole_paragraph",
    "mention_after",
    "sentence_subject",
    "paragraph_cues",
    "none",  # the row standing for "none of them" (``none_row``)
)
PAIR_FEATURES = (*PAIR_CATEGORIES, *PAIR_NUMBERS)
# what a pair's row says of the quote alone, whichever the candidate: all a "none" row says
QUOTE_FEATURES = frozenset(
    (
        *("kind", "quote_dep", "candidates", "words", "sentence", "ends_comma"),
        *("first_in_paragraph", "quote_sentence_cues", "speakers", "has_rule", "whole_paragraph"),
    )
)


@dataclass
class Candidate:
    cue: Cue | None  # None: the rules' choice reached without a cue, or the previous quote's
    speaker: str | None
    mention: tuple[int, int] | None
    is_rule: bool
    previous: bool = False  # the speaker of the quote before

    def detached(self) -> "Candidate":
        """The candidate without its cue (whose parse cannot be pickled to another process)."""
        return Candidate(None, self.speaker, self.mention, self.is_rule, self.previous)


def pairs(
    art: Article,
    quotes: list[ExtractedQuote],
    cues: list[Cue],
    frames: dict[int, object],
    weak: list[Cue] = (),
) -> list[tuple[ExtractedQuote, list[Candidate], list[list[float]]]]:
    """Every direct or partial quote with two candidates or more, its candidates and their
    features. ``frames``: segment index -> the frame the rules chose (its cue); ``weak``: the
    verbs quotes hang on that report no speech (a candidate for the quotes they govern)."""
    by_paragraph: dict[int, list[Cue]] = {}
    for cue in [*cues, *weak]:
        if cue.mention and (cue.speaker or cue.mention_type in NAMED_ONLY):
            by_paragraph.setdefault(art.para_of(cue.start), []).append(cue)
    framed = {id(frame.cue): n for n, frame in frames.items()}
    spoke: dict[str, int] = {}
    out = []
    seg_starts = [s.start for s in art.segments]
    cue_starts = sorted(c.start for c in cues)
    before = None  # the last quote given a speaker
    for n, quote in enumerate(quotes[: len(art.segments)]):
        if quote.kind == "indirect" or "withheld" in quote.extra or quote.extra.get("unmarked"):
            continue
        first = _FirstToken(art, quote.start)
        near = [
            c for c in by_paragraph.get(quote.paragraph, ()) if not c.weak or _governs(first(), c)
        ]
        found = _candidates(quote, near)
        if before is not None and before.paragraph >= quote.paragraph - 1:
            mention = (
                (before.speaker_start, before.speaker_end)
                if before.speaker_start is not None
                else None
            )
            if before.speaker and not any(c.speaker == before.speaker for c in found):
                found.append(Candidate(None, before.speaker, mention, False, previous=True))
        if len(found) >= 2 or (found and not found[0].is_rule):
            distances = sorted(_gap(quote, c.cue.start, c.cue.end) for c in found if c.cue)
            place = _place(art, quote, first(), cue_starts)
            place.paragraph_cues = len(near)
            rows = [
                _row(
                    art, quote, n, c, found, distances, framed, spoke, seg_starts, cue_starts, place
                )
                for c in found
            ]
            out.append((quote, found, rows))
        if quote.speaker:
            spoke[quote.speaker] = spoke.get(quote.speaker, 0) + 1
            before = quote
    return out


def _candidates(quote: ExtractedQuote, near: list[Cue]) -> list[Candidate]:
    found = []
    rule_mention = (
        (quote.speaker_start, quote.speaker_end) if quote.speaker_start is not None else None
    )
    if quote.speaker or quote.speaker_mention:
        found.append(Candidate(None, quote.speaker, rule_mention, True))
    for cue in near:
        if _gap(quote, cue.start, cue.end) > REACH:
            continue
        if found and found[0].is_rule and cue.mention == rule_mention:
            found[0].cue = cue
            continue
        found.append(Candidate(cue, cue.speaker, cue.mention, False))
    return found


def _gap(quote: ExtractedQuote, start: int, end: int) -> int:
    """Characters between the quote and a stretch of text before or after it."""
    return start - quote.end if start >= quote.end else quote.start - end


@dataclass
class _Place:
    """Where a quote stands in the parse: its top token (the one the rest of its words hang
    on), how that token hangs on the words outside, and its sentence."""

    top: object | None
    dep: str | None
    sentence: tuple[int, int] | None
    sentence_cues: int
    first: object | None  # the token its words start with
    subjects: tuple = ()  # (start, end) of the subjects of the quote's sentence's main verb
    paragraph_cues: int = 0


class _FirstToken:
    """The token a quote's words start with, looked up once (``token_at`` is not cheap)."""

    def __init__(self, art: Article, start: int):
        self.art, self.start, self.token, self.found = art, start, None, False

    def __call__(self):
        if not self.found:
            self.token, self.found = self.art.token_at(self.start), True
        return self.token


def _place(art: Article, quote: ExtractedQuote, first, cue_starts: list[int]) -> _Place:
    if first is None:
        return _Place(None, None, None, 0, None)
    base = art.unit_of(first).start
    top = first
    while top.head.i != top.i and quote.start <= base + top.head.idx < quote.end:
        top = top.head
    sent = first.sent
    lo, hi = base + sent.start_char, base + sent.end_char
    inside = _count(cue_starts, lo, hi) - _count(
        cue_starts, max(lo, quote.start), min(hi, quote.end)
    )
    dep = "ROOT" if top.head.i == top.i else top.dep_
    subjects = tuple(
        (base + t.left_edge.idx, base + t.right_edge.idx + len(t.right_edge))
        for t in sent.root.children
        if t.dep_ in ("nsubj", "nsubjpass")
    )
    return _Place(top, dep, (lo, hi), inside, first, subjects)


def _count(starts: list[int], lo: int, hi: int) -> int:
    """How many of these (sorted) places lie in [lo, hi)."""
    return max(0, bisect.bisect_left(starts, hi) - bisect.bisect_left(starts, lo))


def _depth(cue: Cue, place: _Place) -> float:
    """How many steps up from the quote's top token to the cue's verb (nan: not above it)."""
    if place.top is None or cue.token is None or cue.token.doc is not place.top.doc:
        return math.nan
    for steps, node in enumerate(place.top.ancestors, start=1):
        if node.i == cue.token.i:
            return float(steps)
    return math.nan


def _row(art, quote, n, cand, found, distances, framed, spoke, seg_starts, cue_starts, place):
    n_found = len(found)
    cue = cand.cue
    via = quote.extra.get("via") if cand.is_rule else None
    subject = cue.subject if cue is not None else None
    subject_dep = subject.dep_ if subject is not None else None
    row = [
        decision.code(via, decision.VIAS),
        decision.code(cue.lemma if cue else None, decision.LEMMAS),
        decision.code(cue.mention_type if cue else quote.extra.get("mention_type"), MENTION_TYPES),
        decision.code(quote.kind, KINDS),
        decision.code(place.dep, QUOTE_DEPS),
        decision.code(subject_dep, SUBJECT_DEPS),
    ]
    if cue is not None:
        after = cue.start >= quote.end
        gap = _gap(quote, cue.start, cue.end)
        lo, hi = (quote.end, cue.start) if after else (cue.end, quote.start)
        between = [s for s in seg_starts if lo <= s < hi]
        cues_between = _count(cue_starts, lo, hi)
        same = not decision.SENTENCE_BREAK.search(art.text, lo, hi) if hi > lo else 1
        governs = _governs(place.first, cue)
        frame_of = framed.get(id(cue))
        breaks = len(decision.SENTENCE_BREAK.findall(art.text, lo, hi)) if hi > lo else 0
        side = sorted(
            _gap(quote, c.cue.start, c.cue.end)
            for c in found
            if c.cue is not None and (c.cue.start >= quote.end) == after
        )
        in_sentence = place.sentence is not None and (
            place.sentence[0] <= cue.start < place.sentence[1]
        )
    else:
        after = gap = same = governs = breaks = None
        between, cues_between, frame_of, side, in_sentence = [], None, None, [], None
    m_gap = _gap(quote, *cand.mention) if cand.mention is not None else None
    para = art.paras[min(quote.paragraph, len(art.paras) - 1)]
    row += [
        cand.is_rule,
        cue is not None,
        _num(after),
        _log(gap),
        _log(m_gap),
        _num(same),
        len(between) if cue is not None else math.nan,
        _num(cues_between),
        distances.index(gap) if gap is not None else math.nan,
        n_found,
        _num(governs),
        frame_of is not None and frame_of != n,
        frame_of == n,
        bool(cand.speaker) and cand.speaker == quote.speaker,
        bool(cand.speaker),
        cue.confidence if cue else math.nan,
        _num(cue.colon if cue else None),
        math.log1p(len(quote.text.split())),
        is_sentence(quote.text.strip()),
        quote.text.rstrip()[-1:] == ",",
        spoke.get(cand.speaker or "", 0),
        art.text[para.body_start : quote.start].strip(" “\"'‘") == "",
        cand.previous,
        bool(cue is not None and cue.weak),
        _depth(cue, place) if cue is not None else math.nan,
        _num(min(breaks, 5) if breaks is not None else None),
        _num(in_sentence),
        place.sentence_cues,
        side.index(gap) if gap is not None else math.nan,
        len({c.speaker for c in found if c.speaker}),
        any(c.is_rule for c in found),
        art.text[quote.end : para.end].strip(" ”\"'’.,") == ""
        and art.text[para.body_start : quote.start].strip(" “\"'‘") == "",
        _num(cand.mention[0] >= quote.end if cand.mention is not None else None),
        cand.mention is not None and any(a <= cand.mention[0] < b for a, b in place.subjects),
        place.paragraph_cues,
        False,
    ]
    return [float(v) for v in row]


def _governs(token, cue: Cue) -> bool:
    """The cue's verb is an ancestor of the quoted words' first ``token`` (in one parse)."""
    if token is None or cue.token is None or token.doc is not cue.token.doc:
        return False
    return cue.token in token.ancestors


def _num(value) -> float:
    return math.nan if value is None else float(value)


def _log(value) -> float:
    return math.nan if value is None else math.log1p(max(value, 0))


def none_row(row: list[float]) -> list[float]:
    """The row that stands for "none of the candidates" beside a quote's pairs (``row`` is one
    of them): what it says of the quote, and nothing of a speaker."""
    out = [v if f in QUOTE_FEATURES else math.nan for f, v in zip(PAIR_FEATURES, row, strict=True)]
    out[PAIR_FEATURES.index("none")] = 1.0
    return out


def ranked(cands: list[Candidate], rows: list[list[float]]) -> list[list[float]]:
    """A quote's rows as the chooser ranks them: with a "none" row where the rules gave no
    speaker (the quote may stay without one)."""
    if any(c.is_rule for c in cands):
        return rows
    return [*rows, none_row(rows[0])]


def choose(art: Article, found, chooser) -> None:
    """Give each quote the candidate the chooser finds most likely right, where it clearly
    prefers one the rules did not choose."""
    groups = [ranked(cands, quote_rows) for _, cands, quote_rows in found]
    if not groups:
        return
    margin = MARGIN if getattr(chooser, "margin", None) is None else chooser.margin
    alone = ALONE if getattr(chooser, "alone", None) is None else chooser.alone
    scores = iter(chooser.probabilities([r for g in groups for r in g], [len(g) for g in groups]))
    for (quote, cands, _), group in zip(found, groups, strict=True):
        probs = [next(scores) for _ in group][: len(cands)]
        best = max(range(len(cands)), key=lambda i: probs[i])
        rule = next((i for i, c in enumerate(cands) if c.is_rule), None)
        keep = rule
        if not cands[best].is_rule and (
            (rule is not None and probs[best] >= probs[rule] + margin)
            or (rule is None and probs[best] >= alone)
        ):
            keep = best
        if keep is not None:
            doubt(quote, probs, keep)
        if keep is None or keep == rule:
            continue
        pick = cands[best]
        if pick.cue is not None:
            attach(quote, pick.cue, art.text)
            quote.confidence = pick.cue.confidence
            note(quote, "chosen", cue=pick.cue)
        else:  # the previous quote's speaker
            credit(quote, pick.speaker, None, pick.mention, art.text)
            quote.confidence = probs[best]
            note(quote, "chosen")


def doubt(quote: ExtractedQuote, probs: list[float], keep: int) -> None:
    """What the chooser thought of the candidate the quote keeps, for the decision to weigh:
    its probability, its lead over the best other candidate (negative: the chooser preferred
    another, though not by ``MARGIN``) and how many candidates there were."""
    others = [p for i, p in enumerate(probs) if i != keep]
    quote.extra["chooser_p"] = probs[keep]
    quote.extra["chooser_margin"] = probs[keep] - max(others) if others else math.nan
    quote.extra["candidates"] = len(probs)
