"""The decision: how likely each attribution is to be right, as an honest probability.

The rules propose: every quote given a speaker records in ``extra`` the rule that gave it ('tail',
'inherit', 'previous-paragraph', ...), the cue's lemma and the mention's type; a quote the filters
doubt (a short one repeated elsewhere, single-quoted, a modifier, a label, a title) has its speaker
withheld, with the filter's reason. A gradient-boosted model (LightGBM), trained by
``manage.py train_attribution`` on the PolNeAR training split, scores every proposed attribution,
withheld or not, from those and from the layout (distance to the mention, quote length,
paragraph, how often the speaker speaks ...), and from signs of doubt: how sure the chooser
was of the speaker kept against the other candidates (the decision's probability never falls as
the chooser's rises), another speaker's cue between the quote and its speaker, a cue inside
another cue's reported clause, how far back a pronoun's person was named. Five boosters, each
trained on four folds of the articles, score each attribution; the mean of their scores,
calibrated (Platt scaling, kept as a table) on what such a mean is worth on articles its
boosters never saw (``training.fit``), is the quote's confidence. Below the model's
``threshold`` a speaker is withdrawn (0 keeps every choice the rules made); at or above
``restore`` a withheld speaker is given back (above 1, none is). The same file holds the
chooser among candidate speakers (``candidates``).

The model file is JSON holding numbers and LightGBM's own text format: loading it parses text and
runs no code (no pickle). A file that does not have exactly that shape is refused.
"""

import bisect
import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from apps.quotes.extraction.cues import MENTION_TYPES
from apps.quotes.extraction.document import Article
from apps.quotes.extraction.lexicon import REQUEST_LEMMAS
from apps.quotes.extraction.names import fold
from apps.quotes.extraction.quotes import detach, is_sentence, restore
from apps.quotes.extraction.speech import CUE_LEMMAS, INDIRECT_LEMMAS
from apps.quotes.extraction.types import KINDS, ExtractedQuote

SPEECH_LEMMAS = CUE_LEMMAS | INDIRECT_LEMMAS
REPORTED = ("ccomp", "xcomp")  # a clause reported by the verb it depends on
MODEL_PATH = Path(__file__).with_name("attribution_model.json")
FORMAT = 5  # 5: the chooser ranks a quote's candidates, its margins fitted with it
VIAS = (
    "tail",
    "head",
    "governs",
    "continued",
    "inherit",
    "previous-sentence",
    "previous-paragraph",
    "after-colon",
    "subject",
    "echo",
    "same voice",
    "claim",
    "claim-echo",
    "chosen",
)
MENTIONS = (*MENTION_TYPES, "subject")
SCARES = ("title", "repeated", "single", "modifier", "label")  # why a filter withheld a speaker
LEMMAS = tuple(sorted(CUE_LEMMAS | INDIRECT_LEMMAS | REQUEST_LEMMAS | {"according"}))
CATEGORIES = {
    "via": VIAS,
    "donor_via": VIAS,
    "mention_type": MENTIONS,
    "cue_lemma": LEMMAS,
    "kind": KINDS,
    "scare": SCARES,
}
NUMBERS = (
    "rule_confidence",
    "words",
    "sentence",
    "lowercase",
    "ends_comma",
    "mention_offset",
    "mention_before",
    "mention_words",
    "mention_same_paragraph",
    "named",
    "organisation",
    "has_role",
    "speaker_quotes",
    "article_speakers",
    "cast_size",
    "paragraph",
    "repeated",
    "single",
    "flags",
    "paragraph_cues",
    "paragraph_quotes",
    "paragraph_speakers",
    "paragraph_length",
    "quote_share",
    "mention_in_quote_sentence",
    # signs of doubt: what the chooser thought of the speaker kept (``candidates.doubt``), ...
    "chooser_p",
    "chooser_margin",
    "candidates",
    # ... another speaker's cue between the quote and its speaker's mention, the speaker's cue
    # inside another cue's reported clause ('Ross said Obama had told leaders that'), the
    # sentences between quote and mention, and how far back a pronoun's or descriptor's person
    # was last named
    "cues_between",
    "nested_cue",
    "mention_sentences",
    "antecedent_distance",
)
FEATURES = (*CATEGORIES, *NUMBERS)


class ModelError(ValueError):
    """The model file is not one this code wrote: refused, nothing in it was run."""


@dataclass(frozen=True)
class Member:
    """A booster and its calibration table (raw score -> share right), fitted on scores of
    articles the scoring boosters never saw."""

    booster: object  # lightgbm.Booster
    calibration_x: tuple[float, ...]
    calibration_y: tuple[float, ...]


@dataclass(frozen=True)
class Chooser:
    """Boosters ranking each quote's candidate speakers (``candidates``): the mean of their
    scores, turned into each candidate's probability among its quote's by a softmax. How much
    more likely another candidate must be than the rules' choice (``margin``), and how likely
    one must be for a quote the rules left without a speaker (``alone``), were fitted out of
    fold with them (None: ``candidates``' defaults)."""

    boosters: tuple[object, ...]
    margin: float | None = None
    alone: float | None = None

    def probabilities(self, rows: list[list[float]], sizes: list[int]) -> list[float]:
        """``rows``: the candidates of one quote after another, ``sizes`` of them each."""
        import numpy as np

        matrix = np.asarray(rows, dtype=float)
        total = sum(b.predict(matrix, num_threads=1) for b in self.boosters) / len(self.boosters)
        out, at = [], 0
        for size in sizes:
            scores = total[at : at + size]
            weights = np.exp(scores - scores.max())
            out += [float(w) for w in weights / weights.sum()]
            at += size
        return out


@dataclass(frozen=True)
class Model:
    members: tuple[Member, ...]  # their scores are averaged, then calibrated by their table
    threshold: float  # below this calibrated probability the speaker is withdrawn
    restore: float  # at or above it, a speaker the filters withheld is given back ...
    restorable: tuple[str, ...]  # ... by one of these filters (SCARES) only
    about: dict
    chooser: Chooser | None = None  # None: the rules' choice of speaker stands

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        import numpy as np

        if not rows:
            return []
        matrix = np.asarray(rows, dtype=float)
        # one thread: a process that forks (the ingest pool) must hold no OpenMP thread pool,
        # or its children hang on it
        raw = sum(m.booster.predict(matrix, num_threads=1) for m in self.members)
        table = self.members[0]  # one table for all (``read_model``)
        calibrated = np.interp(raw / len(self.members), table.calibration_x, table.calibration_y)
        return [float(p) for p in calibrated]


def features(art: Article, quotes: list[ExtractedQuote]) -> list[list[float]]:
    """One row of FEATURES per quote (each given a speaker or a mention)."""
    speakers: dict[str, int] = {}
    texts: dict[str, int] = {}
    for q in quotes:
        if q.speaker:
            speakers[q.speaker] = speakers.get(q.speaker, 0) + 1
    for q in art.segments:
        key = fold(art.text[q.start : q.end])
        texts[key] = texts.get(key, 0) + 1
    quotes_in: dict[int, int] = {}
    for seg in art.segments:
        quotes_in[seg.paragraph] = quotes_in.get(seg.paragraph, 0) + 1
    speakers_in: dict[int, set] = {}
    for q in quotes:
        speakers_in.setdefault(q.paragraph, set()).add(q.speaker or q.speaker_mention)
    cue_places = sorted(art.cue_places, key=lambda c: c[0])
    rows = []
    for q in quotes:
        extra = q.extra
        row = [
            code(extra.get(name, getattr(q, name, None)), CATEGORIES[name]) for name in CATEGORIES
        ]
        seg = extra.get("segment")
        mention = q.speaker_start is not None
        offset = (q.speaker_start - q.start) if mention else 0
        person = art.cast.people.get(q.speaker or "")
        para = art.paras[min(q.paragraph, len(art.paras) - 1)]
        para_length = para.end - para.body_start
        row += [
            extra.get("rule_confidence", q.confidence),
            math.log1p(len(q.text.split())),
            is_sentence(q.text.strip()),
            q.text[:1].islower(),
            q.text.rstrip()[-1:] == ",",
            math.copysign(math.log1p(abs(offset)), offset) if mention else math.nan,
            mention and q.speaker_start < q.start,
            len((q.speaker_mention or "").split()),
            mention and art.para_of(q.speaker_start) == q.paragraph,
            bool(q.speaker),
            bool(person and person.kind == "organisation"),
            bool(person and person.role),
            speakers.get(q.speaker or "", 0),
            len(speakers),
            len(art.cast.people),
            min(q.paragraph, 50),
            texts.get(fold(q.text), 0) if q.kind != "indirect" else 0,
            bool(seg and seg.single),
            _flags(seg),
            art.cues_per_paragraph.get(q.paragraph, 0),
            quotes_in.get(q.paragraph, 0),
            len(speakers_in.get(q.paragraph, ())),
            math.log1p(para_length),
            (q.end - q.start) / max(para_length, 1),
            mention and _same_sentence(art.text, q),
            extra.get("chooser_p", math.nan),
            extra.get("chooser_margin", math.nan),
            extra.get("candidates", 1 if q.kind != "indirect" else math.nan),
            _cues_between(q, cue_places) if mention else math.nan,
            _nested(art, q.speaker_start) if mention else math.nan,
            _sentences_between(art.text, q) if mention else math.nan,
            _antecedent(art.text, q) if mention else math.nan,
        ]
        rows.append([float(v) for v in row])
    return rows


# A sentence's end (or a paragraph break) between two places of the text.
SENTENCE_BREAK = re.compile(r"[.!?][”\"’]?\s+[A-Z“\"]|\n")


def _same_sentence(text: str, q: ExtractedQuote) -> bool:
    """No sentence end (or paragraph break) between the quote and its mention."""
    lo, hi = (q.speaker_end, q.start) if q.speaker_start < q.start else (q.end, q.speaker_start)
    if hi - lo > 400:
        return False
    return not SENTENCE_BREAK.search(text, lo, hi)


def _between(q: ExtractedQuote) -> tuple[int, int]:
    """The stretch of text between the quote and its speaker's mention."""
    return (q.speaker_end, q.start) if q.speaker_start < q.start else (q.end, q.speaker_start)


def _cues_between(q: ExtractedQuote, places: list[tuple[int, int | None]]) -> int:
    """Speech cues of another mention than the speaker's between the quote and that mention
    ('"...," Smith said after Jones told reporters ...' has one)."""
    lo, hi = _between(q)
    first = bisect.bisect_left(places, (lo, -1))
    count = 0
    for start, mention in places[first:]:
        if start >= hi:
            break
        count += mention != q.speaker_start
    return count


def _nested(art: Article, position: int) -> float:
    """Whether the speaker's mention is the subject of a speech verb inside another one's
    reported clause ('Ross said Obama had told leaders that ...', not 'Ross said, as Obama
    told ...'); unknown where the parse of the mention's sentence was let go."""
    token = art.token_at(position)
    if token is None:
        return math.nan
    node = next((t for t in token.ancestors if t.lemma_.lower() in SPEECH_LEMMAS), None)
    while node is not None and node.dep_ in REPORTED and node.head is not node:
        node = node.head
        if node.lemma_.lower() in SPEECH_LEMMAS:
            return 1.0
    return 0.0


def _sentences_between(text: str, q: ExtractedQuote) -> float:
    lo, hi = _between(q)
    return math.log1p(len(SENTENCE_BREAK.findall(text, max(lo, hi - 3000), hi)))


def _antecedent(text: str, q: ExtractedQuote) -> float:
    """For a mention that does not name its speaker ('he', 'the senator'): how many characters
    back the speaker's surname last stands (log; 0 where the mention names them, NaN where the
    name is nowhere before it)."""
    if not q.speaker or not q.speaker_mention:
        return math.nan
    surname = q.speaker.split()[-1]
    if surname.lower() in q.speaker_mention.lower():
        return 0.0
    at = text.rfind(surname, 0, q.speaker_start)
    return math.log1p(q.speaker_start - at) if at >= 0 else math.nan


def code(value, values: tuple[str, ...]) -> float:
    try:
        return float(values.index(value))
    except ValueError:
        return math.nan  # LightGBM's missing value: an unknown or absent category


def _flags(seg) -> float:
    names = ("implied", "merged", "continued", "unclosed", "stray")
    flags = seg.flags if seg is not None else set()
    return float(sum(1 << n for n, name in enumerate(names) if name in flags))


def proposed(quotes: list[ExtractedQuote]) -> list[ExtractedQuote]:
    """The quotes the rules gave a speaker or a mention, or a filter withheld one from."""
    return [
        q
        for q in quotes
        if q.speaker
        or q.speaker_mention
        or (q.extra.get("withheld") or {}).get("speaker")
        or (q.extra.get("withheld") or {}).get("speaker_mention")
    ]


def rows_for(art: Article, chosen: list[ExtractedQuote]) -> list[list[float]]:
    """The features of each proposed attribution, a withheld one as if it had been kept."""
    held = [q for q in chosen if "withheld" in q.extra]
    saved = [dict(q.extra["withheld"]) for q in held]
    for quote in held:
        restore(quote)
    for quote in chosen:
        quote.extra["rule_confidence"] = quote.confidence
    rows = features(art, chosen)
    for quote, attribution in zip(held, saved, strict=True):
        quote.extra["title"] = quote.extra["scare"] == "title"
        quote.extra["withheld"] = attribution
        detach(quote)
    return rows


def settle(quote: ExtractedQuote, probability: float, model: Model) -> None:
    """The model's verdict on one proposed attribution: kept, withdrawn or given back."""
    if "withheld" in quote.extra:
        if probability >= model.restore and quote.extra["scare"] in model.restorable:
            restore(quote)
            quote.confidence = probability
            quote.extra["restored"] = True
        return
    quote.confidence = probability
    if probability < model.threshold:
        detach(quote)
        quote.extra["withdrawn"] = probability


def decide(art: Article, quotes: list[ExtractedQuote], model: Model) -> None:
    """Give every attributed quote its calibrated confidence; withdraw the speakers the model
    thinks more likely wrong than its threshold allows, and give back the withheld ones it
    thinks likely enough right."""
    chosen = proposed(quotes)
    for quote, probability in zip(chosen, model.probabilities(rows_for(art, chosen)), strict=True):
        settle(quote, probability, model)


@functools.cache
def load_model(path: Path = MODEL_PATH) -> Model | None:
    """The committed model, read once per process; None where there is none (rules only)."""
    if not path.is_file():
        return None
    return read_model(path.read_text(encoding="utf-8"))


def read_model(text: str) -> Model:
    """A model from its JSON text, refusing anything but numbers and LightGBM's text format."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ModelError(f"not a model file (not JSON: {error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"not a model file of format {FORMAT}")
    if data.get("features") != list(FEATURES):
        raise ModelError("the model was trained on other features: run train_attribution")
    threshold, restore_at = data.get("threshold"), data.get("restore")
    if not (isinstance(threshold, int | float) and 0 <= threshold <= 1):
        raise ModelError("the model's threshold is not a number between 0 and 1")
    if not (isinstance(restore_at, int | float) and 0 <= restore_at <= 2):
        raise ModelError("the model's restore threshold is not a number between 0 and 2")
    restorable = data.get("restorable")
    if not (isinstance(restorable, list) and set(restorable) <= set(SCARES)):
        raise ModelError("the model's restorable filters are not a list of filter names")
    members = data.get("members")
    if not isinstance(members, list) or not members:
        raise ModelError("the model has no members")
    about = data.get("about") if isinstance(data.get("about"), dict) else {}
    chooser = data.get("chooser", [])
    if not isinstance(chooser, list):
        raise ModelError("the model's chooser is not a list of boosters")
    margins = data.get("chooser_margin"), data.get("chooser_alone")
    if chooser and not all(isinstance(m, int | float) and 0 <= m <= 2 for m in margins):
        raise ModelError("the chooser's margins are not numbers between 0 and 2")
    parsed = tuple(_member(m) for m in members)
    if any(
        (m.calibration_x, m.calibration_y) != (parsed[0].calibration_x, parsed[0].calibration_y)
        for m in parsed
    ):
        raise ModelError("the model's members do not share one calibration table")
    return Model(
        parsed,
        float(threshold),
        float(restore_at),
        tuple(restorable),
        about,
        Chooser(tuple(_chooser_booster(b) for b in chooser), *map(float, margins))
        if chooser
        else None,
    )


def _booster(text, features: int, what: str):
    if not isinstance(text, str) or not text.startswith("tree\n"):
        raise ModelError(f"the model's {what} is not LightGBM's text format")
    import lightgbm

    try:
        booster = lightgbm.Booster(model_str=text)
    except lightgbm.basic.LightGBMError as error:
        raise ModelError(f"the model's {what} does not parse: {error}") from None
    if booster.num_feature() != features:
        raise ModelError(f"the model's {what} has the wrong number of features")
    return booster


def _chooser_booster(text):
    from apps.quotes.extraction.candidates import PAIR_FEATURES

    return _booster(text, len(PAIR_FEATURES), "chooser")


def _member(data) -> Member:
    if not isinstance(data, dict):
        raise ModelError("a model member is not an object")
    xs, ys = data.get("calibration_x"), data.get("calibration_y")
    if not (
        _numbers(xs)
        and _numbers(ys)
        and len(xs) == len(ys) > 0
        and all(a <= b for a, b in zip(xs, xs[1:], strict=False))
        and all(0 <= y <= 1 for y in ys)
    ):
        raise ModelError("the model's calibration is not a table of numbers")
    booster = _booster(data.get("booster"), len(FEATURES), "booster")
    return Member(booster, tuple(xs), tuple(ys))


def _numbers(values) -> bool:
    return isinstance(values, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values
    )


def write_model(
    path: Path,
    members: list[dict],
    threshold: float,
    restore_at: float,
    restorable: tuple[str, ...],
    about: dict,
    chooser: list[str] = (),
    chooser_margins: tuple[float, float] = (2.0, 2.0),
) -> None:
    """``members``: dicts of booster (LightGBM text), calibration_x and calibration_y."""
    data = {
        "format": FORMAT,
        "features": list(FEATURES),
        "threshold": round(float(threshold), 4),
        "restore": round(float(restore_at), 4),
        "restorable": list(restorable),
        "about": about,
        "chooser": list(chooser),
        "chooser_margin": round(float(chooser_margins[0]), 4),
        "chooser_alone": round(float(chooser_margins[1]), 4),
        "members": [
            {
                "calibration_x": [float(x) for x in m["calibration_x"]],
                "calibration_y": [float(y) for y in m["calibration_y"]],
                "booster": m["booster"],
            }
            for m in members
        ],
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
