"""The article as the stages see it: its text, paragraphs and quoted segments (``marks``), the
spaCy parse of the paragraphs worth parsing, and lookups between character offsets and tokens.

Parsing is the first stage: a full parse where speech is reported, names only (NER) elsewhere in
normal-sized paragraphs; a 5 MB paragraph with no quote and no speech verb is not parsed at all.
"""

import bisect
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy

from apps.quotes.extraction import layouts, marks
from apps.quotes.extraction.speakers import Cast
from apps.quotes.extraction.speech import SPEECH_HINT
from apps.quotes.extraction.types import OverBudget, SpeakerHint

NAMES_ONLY_MAX = 3_000  # longer paragraphs with no quote and no speech verb are not parsed
MAX_UNIT = 20_000  # characters parsed at once; longer paragraphs are cut at spaces
BATCH_CHARS = 40_000  # characters parsed in one batch: bounds the parser's memory


@dataclass(slots=True)
class Unit:
    start: int
    doc: object  # spacy Doc of text[start:start+len(doc.text)]; None once released


@dataclass
class Article:
    """One article's text and parse, and who is who in it (``cast``, filled by coreference)."""

    original: str
    hints: tuple[SpeakerHint, ...] = ()
    text: str = field(init=False)  # the same offsets, one kind of double mark
    parse_text: str = field(init=False)  # the same offsets, spaced for the parser
    cast: Cast = field(init=False)
    paras: list = field(init=False)
    segments: list = field(init=False)
    units: list[Unit] = field(init=False, default_factory=list)
    subject_names: dict[tuple[int, int], str] = field(init=False, default_factory=dict)
    cues_per_paragraph: dict[int, int] = field(init=False, default_factory=dict)
    # each speech cue's place and its mention's start (None: no mention), in text order
    cue_places: list[tuple[int, int | None]] = field(init=False, default_factory=list)

    def __post_init__(self):
        # dash dialogue's dashes read as quotation marks, markup's marks blanked (layouts)
        self.text = layouts.normalise(marks.ascii_doubles(self.original))
        # what spaCy reads: the same length, ''newswire marks'' spaced for its tokenizer
        parsed = marks.ascii_doubles(self.original, for_parser=True)
        self.parse_text = self.text if parsed is self.original else layouts.normalise(parsed)
        self.cast = Cast(self.hints)
        self.paras = marks.paragraphs(self.text)
        self.segments = marks.segments(self.text, self.paras)
        self.seg_starts = [s.start for s in self.segments]
        self.para_starts = [p.start for p in self.paras]
        self.units = []
        self.unit_starts: list[int] = []
        self.unit_by_doc: dict[int, Unit] = {}

    def parse(self, parser, *, deadline: float | None = None, each=None) -> None:
        """Parse with ``parser``: a ``SpacyParser``, or anything called the same way (a cache).
        With a ``deadline`` (``time.monotonic()``), ``OverBudget`` once it has passed.

        ``each(unit)`` is called on every unit as soon as it is parsed (in the parser's order,
        not the text's), so a caller can read what it needs and ``release`` a unit no later
        stage looks into: a parser with a ``stream`` method hands its docs over batch by
        batch, so the memory held is the kept units', not the article's."""
        full, names = [], []
        seg_paras = {s.paragraph for s in self.segments}
        for para in self.paras:
            lo, hi = para.body_start, para.end
            if lo >= hi:
                continue
            letters = sum(ch.isalpha() for ch in self.text[lo : min(hi, lo + 2000)])
            if letters < 0.4 * min(hi - lo, 2000):
                continue  # not prose: runs of quote marks, tables of numbers, binary junk
            introduces = self.text[lo:hi].rstrip().endswith(":") and para.index + 1 in seg_paras
            if para.index in seg_paras or introduces or SPEECH_HINT.search(self.text, lo, hi):
                full += list(_cut(self.text, lo, hi))
            elif hi - lo <= NAMES_ONLY_MAX:
                names.append((lo, hi))
        source = self.parse_text
        texts = [source[a:b] for a, b in full], [source[a:b] for a, b in names]
        stream = getattr(parser, "stream", parser)
        docs = stream(*texts) if deadline is None else stream(*texts, deadline=deadline)
        units = []
        for (a, _), doc in zip(full + names, docs, strict=True):
            unit = Unit(a, doc)
            self.unit_by_doc[id(doc)] = unit
            units.append(unit)
            if each is not None:
                each(unit)
        self.units = sorted(units, key=lambda u: u.start)
        self.unit_starts = [u.start for u in self.units]

    def kept_paragraphs(self) -> set[int]:
        """The paragraphs whose parse the stages after the cues look into: those holding a
        quoted segment, and the words just after one (a name right after a label)."""
        kept = {s.paragraph for s in self.segments}
        for n in list(kept):
            end = self.paras[n].end
            kept.update(self.para_of(pos) for pos in range(end, min(end + 5, len(self.text))))
        return kept

    def release(self, unit: Unit) -> None:
        """Let the unit's parse go: ``token_at`` finds no token in it any more."""
        if unit.doc is not None:
            del self.unit_by_doc[id(unit.doc)]
            unit.doc = None

    def key(self, token) -> tuple[int, int]:
        """Names a token for as long as the article lives (where its unit starts, its index)."""
        return self.unit_of(token).start, token.i

    def token_at(self, pos: int):
        n = bisect.bisect_right(self.unit_starts, pos) - 1
        if n < 0:
            return None
        unit = self.units[n]
        rel = pos - unit.start
        if unit.doc is None or rel >= len(unit.doc.text):
            return None
        span = unit.doc.char_span(rel, rel + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def in_quote(self, pos: int) -> bool:
        n = bisect.bisect_right(self.seg_starts, pos) - 1
        # segments may nest (single inside double): look back a little
        for seg in self.segments[max(0, n - 3) : n + 1]:
            if seg.start <= pos < seg.end and not seg.single:
                return True
        return False

    def in_quote_token(self, token) -> bool:
        return self.in_quote(self.abs(token))

    def abs(self, token) -> int:
        return self.unit_of(token).start + token.idx

    def unit_of(self, token) -> Unit:
        return self.unit_by_doc[id(token.doc)]

    def para_of(self, pos: int) -> int:
        return self.paras[bisect.bisect_right(self.para_starts, pos) - 1].index

    def next_open(self, n: int, para) -> int:
        """Where the next double-quoted segment of the paragraph opens (or the paragraph ends)."""
        for seg in self.segments[n + 1 :]:
            if seg.paragraph != para.index:
                break
            if not seg.single:
                return seg.opening
        return para.end

    def prev_close(self, n: int, para) -> int:
        """Just after the previous double-quoted segment of the paragraph (or its start)."""
        for seg in reversed(self.segments[:n]):
            if seg.paragraph != para.index:
                break
            if not seg.single:
                return (seg.close_mark if seg.close_mark is not None else seg.end) + 1
        return para.body_start


class SpacyParser:
    """Full parses for some texts, names only (NER) for others, with one spaCy pipeline."""

    def __init__(self, nlp):
        self.nlp = nlp

    def __call__(self, full: list[str], names: list[str], *, deadline=None) -> list:
        """The docs of ``full`` then of ``names``, in order."""
        return list(self.stream(full, names, deadline=deadline))

    def stream(self, full: list[str], names: list[str], *, deadline=None) -> Iterator:
        """The same docs, handed over batch by batch as they are parsed."""
        yield from _pipe(self.nlp, full, deadline)
        only_ner = [p for p in self.nlp.pipe_names if p not in {"tok2vec", "ner"}]
        with self.nlp.select_pipes(disable=only_ner):
            yield from _pipe(self.nlp, names, deadline)


def _pipe(nlp, texts: list[str], deadline: float | None = None) -> Iterator:
    """The parse of each text, in batches of at most 64 texts and BATCH_CHARS characters:
    a batch of 64 pieces of MAX_UNIT characters held gigabytes while it was parsed. Past the
    ``deadline`` (``time.monotonic()``), ``OverBudget`` before the next batch. Each doc's
    ``tensor`` (the token vectors the pipeline's layers shared, 384 bytes a token) is let go:
    no stage reads it, and it was most of what a parsed article held."""
    batch, size = [], 0
    for text in [*texts, None]:
        if batch and (text is None or len(batch) == 64 or size + len(text) > BATCH_CHARS):
            if deadline is not None and time.monotonic() > deadline:
                raise OverBudget("the time budget ran out")
            for doc in nlp.pipe(batch, batch_size=len(batch)):
                doc.tensor = _NO_TENSOR
                yield doc
            batch, size = [], 0
        if text is not None:
            batch.append(text)
            size += len(text)


_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")


def _cut(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """Pieces of at most MAX_UNIT characters, cut at whitespace (a 5 MB paragraph parses)."""
    while hi - lo > MAX_UNIT:
        cut = text.rfind(" ", lo + MAX_UNIT // 2, lo + MAX_UNIT)
        if cut <= lo:
            cut = lo + MAX_UNIT
        yield lo, cut
        lo = cut
    yield lo, hi
