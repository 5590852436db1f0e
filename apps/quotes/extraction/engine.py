"""Quotes, partial quotes and reported claims, each with its speaker.

The stages, each a module with one job, each linear in the text's length:

1. ``document``: paragraphs, boilerplate and quotation marks (``marks``), repaired per
   paragraph; spaCy parses only the paragraphs that hold a quote or a speech verb;
2. ``cues``: speech cues ("said", "noted", "according to") and their subjects outside quotes;
3. ``framing``: each quoted segment takes the cue that frames it: after it (``"...,"
   Lavrov said``) or before it (``Arbatov said: "..."``), or the speech verb it depends on;
4. ``claims``: cues with a reported clause and no quote become indirect claims;
5. ``coreference``: mentions resolve to speakers in text order (``Cast``);
6. ``inheritance``: a quote with no cue follows the speaker of the quote next to it, of the
   paragraph before, of the clause it sits in ...;
7. ``candidates``: the learned choice among the speakers the text offers near each quote;
8. ``filters``: scare quotes, titles and labels lose their speaker, whoever proposed it
   (withheld: the decision may give it back);
9. ``decision``: the learned, calibrated confidence of each attribution.

Some rules can be switched off (``without=``) to measure what they add: see ``STAGES``.
"""

import time
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from apps.quotes.extraction import candidates, decision, inheritance, layouts
from apps.quotes.extraction.claims import Claim, claim_for
from apps.quotes.extraction.coreference import introductions, resolve_mentions, unit_subjects
from apps.quotes.extraction.cues import NAMED_ONLY, Cue, Cues, unit_cues, weak_cues
from apps.quotes.extraction.document import Article, SpacyParser
from apps.quotes.extraction.filters import drop_scare_quotes
from apps.quotes.extraction.framing import HOW_SURE, frame_quotes
from apps.quotes.extraction.pipeline import load_pipeline
from apps.quotes.extraction.quotes import attach, credit, note, quote_for, visible
from apps.quotes.extraction.types import ExtractedQuote, OverBudget, SpeakerHint

# The rules ``extract(..., without=...)`` can switch off, and what each does.
STAGES = {
    "lexical-tail": "framing: '..., “Lavrov said.' read off the text where the parse fails",
    "governs": "framing: the speech verb quoted words depend on ('tweeted he is a \"loser\"')",
    "inherit": "inheritance: a quote with no cue takes the speaker of the quote beside it",
    "previous-paragraph": "inheritance: a quote paragraph after 'Cruz said:' is Cruz's",
    "by-subject": "inheritance: a partial quote inside what a person did is theirs",
    "echoes": "inheritance: an agentless report echoing a speaker's words is theirs",
    "same-voice": "inheritance: a partial quote a sentence after a speaker's quote is theirs",
    "in-claim": "inheritance: a quote inside a claim a cue reports is the claim's speaker's",
    "filters": "filters: scare quotes, titles and labels lose their speaker",
    "claims": "claims: reported speech with no quote marks",
    "chooser": "candidates: the learned choice among the speakers the text offers near a quote",
    "model": "decision: the learned model's calibrated confidence (and withdrawn speakers)",
    "layouts": "layouts: transcripts, dash dialogue, credit lines, tweets, press releases",
}


def extract(
    text: str,
    *,
    speakers: Sequence[SpeakerHint] = (),
    without: Iterable[str] = (),
    budget_seconds: float | None = None,
) -> list[ExtractedQuote]:
    return next(
        extract_many([text], speakers=speakers, without=without, budget_seconds=budget_seconds)
    )


def extract_many(
    texts: Iterable[str],
    *,
    speakers: Sequence[SpeakerHint] = (),
    without: Iterable[str] = (),
    parser=None,
    budget_seconds: float | None = None,
    keep_withheld: bool = False,
    chooser=None,
) -> Iterator[list[ExtractedQuote]]:
    """The quotes of each text. ``without`` names rules to switch off (``STAGES``); ``parser``
    replaces the spaCy pipeline (a cache of parses, for training and evaluation). With
    ``budget_seconds``, an article whose parse runs past that many seconds raises
    ``OverBudget`` (checked between the parser's batches, so a huge article stops within a
    batch of the budget). ``keep_withheld`` also returns the quotes whose speaker a filter
    withheld (for training the decision, which may give it back); ``chooser`` replaces the
    model's choice among candidate speakers (for training)."""
    off = frozenset(without)
    unknown = off - set(STAGES)
    if unknown:
        raise ValueError(
            f"no such stage: {', '.join(sorted(unknown))} (known: {', '.join(STAGES)})"
        )
    parser = parser or SpacyParser(load_pipeline())
    hints = tuple(speakers)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError("extract() takes text (str); decode bytes as UTF-8 first")
        if not text.strip():
            yield []
            continue
        yield _run(Article(text, hints), parser, off, budget_seconds, keep_withheld, chooser)


def _run(
    art: Article,
    parser,
    without: frozenset[str],
    budget_seconds: float | None = None,
    keep_withheld: bool = False,
    chooser=None,
) -> list[ExtractedQuote]:
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    read = _Reading(art, claims="claims" not in without)
    try:
        art.parse(parser, deadline=deadline, each=read)
    except OverBudget:
        raise OverBudget(f"over the time budget of {budget_seconds:g} s per article") from None
    found = read.found()
    cues = found.cues
    chosen = frame_quotes(art, cues, without=without)
    for frame in chosen.values():
        frame.cue.used = True
    claims = [] if "claims" in without else read.claims(cues)
    resolve_mentions(art, found, read.introductions(), read.subjects())
    del read  # what it read is now in the cues, the claims and the cast

    quotes: list[ExtractedQuote] = []
    attributed: inheritance.Attributed = {}
    for n, seg in enumerate(art.segments):
        quote = quote_for(art, seg)
        frame = chosen.get(n)
        if frame is not None and (frame.cue.speaker or frame.cue.mention_type in NAMED_ONLY):
            attach(quote, frame.cue, art.text)
            quote.confidence = frame.cue.confidence * HOW_SURE[frame.how]
            note(quote, frame.how, cue=frame.cue)
            attributed[n] = quote
        quotes.append(quote)
    last_cue: dict[int, int] = {}  # paragraph -> where its last speech verb stands
    for cue in cues:
        para = art.para_of(cue.start)
        last_cue[para] = max(last_cue.get(para, -1), cue.start)
        art.cues_per_paragraph[para] = art.cues_per_paragraph.get(para, 0) + 1
        art.cue_places.append((cue.start, cue.mention[0] if cue.mention else None))
    if "inherit" not in without:
        inheritance.inherit(art, quotes, attributed, last_cue)
    if "previous-paragraph" not in without:
        inheritance.introduced_by_previous(art, quotes, attributed, cues, last_cue)
        if "inherit" not in without:  # the paragraphs after the one a colon introduced
            inheritance.inherit(art, quotes, attributed, last_cue)
    if "inherit" not in without:
        inheritance.pronoun_after_named(art, quotes, attributed)
    if "by-subject" not in without:
        inheritance.by_subject(art, quotes, attributed)
    if "echoes" not in without:
        inheritance.echoes(art, quotes, attributed, cues)
    if "same-voice" not in without:
        inheritance.same_voice(art, quotes, attributed, cues)
    if "in-claim" not in without:
        inheritance.inside_claims(art, quotes, attributed, claims)

    model = None if "model" in without else decision.load_model()
    if chooser is None and model is not None:
        chooser = model.chooser
    if "chooser" not in without:
        found_pairs = candidates.pairs(art, quotes, cues, chosen, found.weak)
        if chooser is not None:
            candidates.choose(art, found_pairs, chooser)
        else:  # the candidates the chooser would weigh, for training it
            for quote, cands, rows in found_pairs:
                quote.extra["pairs"] = ([c.detached() for c in cands], rows)
    if "filters" not in without:
        drop_scare_quotes(art, quotes)

    echoed = [q for q in quotes if q.extra.get("via") == "echo"]
    for claim in claims:
        cue, start, end = claim.cue, claim.start, claim.end
        quote = ExtractedQuote(
            start=start,
            end=end,
            text=art.text[start:end],
            kind="indirect",
            paragraph=art.para_of(start),
        )
        if cue.mention is None:
            # 'it was stated that Moscow and Washington "can and should" ...': the claim is
            # theirs whose words it echoes
            echo = next((q for q in echoed if start <= q.start and q.end <= end), None)
            if echo is None:
                continue
            credit(quote, echo.speaker, cue.text, None, art.text)
            quote.confidence = 0.75 * echo.confidence
            note(quote, "claim-echo", cue=cue)
        elif cue.speaker or cue.mention_type in NAMED_ONLY:
            attach(quote, cue, art.text)
            quote.confidence = 0.75 * cue.confidence
            note(quote, "claim", cue=cue)
        else:
            continue
        quotes.append(quote)

    if model is not None:
        decision.decide(art, quotes, model)
    else:  # what the model would weigh, for training it and measuring it
        chosen = decision.proposed(quotes)
        for quote, row in zip(chosen, decision.rows_for(art, chosen), strict=True):
            quote.extra["features"] = row

    result = [
        q
        for q in quotes
        if visible(q) or (keep_withheld and ("withheld" in q.extra or "pairs" in q.extra))
    ]
    for quote in result:
        person = art.cast.people.get(quote.speaker or "")
        if person:
            quote.speaker_kind = person.kind
            quote.speaker_role = person.role
        if not (quote.speaker or quote.speaker_mention):
            quote.confidence = 0.1
        if art.text is not art.original:  # words as written, marks and all
            quote.text = art.original[quote.start : quote.end]
            if quote.speaker_start is not None:
                quote.speaker_mention = art.original[quote.speaker_start : quote.speaker_end]
    if "layouts" not in without:
        result = layouts.apply(art.original, result)
    result.sort(key=lambda q: (q.start, q.end))
    return result


class _Read(NamedTuple):
    """What was read off one unit."""

    start: int
    cues: tuple
    authors: tuple
    introductions: tuple
    subjects: tuple
    weak: tuple


class _Reading:
    """What the stages read off each unit as soon as it is parsed (its cues, the claims they
    report, the people it names, its clauses' subjects), so that a unit no later stage looks
    into (no quoted segment in its paragraph or just before it) is released at once: an
    article of 200,000 short paragraphs holds the parses of its quote paragraphs, not all."""

    def __init__(self, art: Article, *, claims: bool):
        self.art, self.with_claims = art, claims
        self.kept = art.kept_paragraphs()
        # per unit that has any: what was read off it (``_Read``), in the order
        # units are parsed (full parses, then names only: two runs, each in text order)
        self.read: list[_Read] = []
        self.claim_of: dict[int, Claim] = {}  # id(cue) -> the claim of a released cue

    def __call__(self, unit) -> None:
        art, found = self.art, Cues()
        unit_cues(art, unit, found)
        weak_cues(art, unit, found)
        read = _Read(
            unit.start,
            tuple(found.cues),
            tuple(found.authors),
            tuple(introductions(art, unit)),
            tuple(unit_subjects(art, unit)),
            tuple(found.weak),
        )
        if any(read[1:]):
            self.read.append(read)
        if art.para_of(unit.start) in self.kept:
            return
        for cue in found.cues:
            claim = claim_for(art, cue) if self.with_claims else None
            if claim is not None:
                self.claim_of[id(cue)] = claim
            cue.release()
        for cue in found.authors + found.weak:
            cue.release()
        art.release(unit)

    def _in_order(self) -> list[tuple]:
        return sorted(self.read, key=lambda read: read.start)

    def found(self) -> Cues:
        found = Cues()
        for read in self._in_order():
            found.cues += read.cues
            found.authors += read.authors
            found.weak += read.weak
        return found

    def claims(self, cues: list[Cue]) -> list[Claim]:
        """The claims of ``cues`` in their order (those of released units read before)."""
        got = (
            self.claim_of.get(id(c)) if c.token is None else claim_for(self.art, c) for c in cues
        )
        return [claim for claim in got if claim is not None]

    def introductions(self) -> list:
        return [i for read in self._in_order() for i in read.introductions]

    def subjects(self) -> list:
        return [s for read in self._in_order() for s in read.subjects]
