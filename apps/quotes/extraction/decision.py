"""The decision: how likely each attribution is to be right, as an honest probability.

The rules propose: every quote given a speaker records in ``extra`` the rule that gave it ('tail',
'inherit', 'previous-paragraph', ...), the cue's lemma and the mention's type. A gradient-boosted
model (LightGBM), trained by ``manage.py train_attribution`` on the PolNeAR training split, scores
each attribution from those and from the layout (distance to the mention, quote length, paragraph,
how often the speaker speaks ...). Its score, calibrated by isotonic regression fitted on
cross-validation folds, becomes the quote's confidence; below the model's threshold the speaker
is withdrawn (a threshold of 0 keeps every choice the rules made).

The model file is JSON holding numbers and LightGBM's own text format: loading it parses text and
runs no code (no pickle). A file that does not have exactly that shape is refused.
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from apps.quotes.extraction.cues import MENTION_TYPES
from apps.quotes.extraction.document import Article
from apps.quotes.extraction.lexicon import REQUEST_LEMMAS
from apps.quotes.extraction.names import fold
from apps.quotes.extraction.quotes import detach, is_sentence
from apps.quotes.extraction.speech import CUE_LEMMAS, INDIRECT_LEMMAS
from apps.quotes.extraction.types import KINDS, ExtractedQuote

MODEL_PATH = Path(__file__).with_name("attribution_model.json")
FORMAT = 1
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
)
MENTIONS = (*MENTION_TYPES, "subject")
LEMMAS = tuple(sorted(CUE_LEMMAS | INDIRECT_LEMMAS | REQUEST_LEMMAS | {"according"}))
CATEGORIES = {
    "via": VIAS,
    "donor_via": VIAS,
    "mention_type": MENTIONS,
    "cue_lemma": LEMMAS,
    "kind": KINDS,
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
)
FEATURES = (*CATEGORIES, *NUMBERS)


class ModelError(ValueError):
    """The model file is not one this code wrote: refused, nothing in it was run."""


@dataclass(frozen=True)
class Model:
    booster: object  # lightgbm.Booster
    calibration_x: tuple[float, ...]  # isotonic regression: raw score -> share right
    calibration_y: tuple[float, ...]
    threshold: float  # below this calibrated probability the speaker is withdrawn
    about: dict

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        import numpy as np

        if not rows:
            return []
        raw = self.booster.predict(np.asarray(rows, dtype=float))
        return [float(p) for p in np.interp(raw, self.calibration_x, self.calibration_y)]


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
    rows = []
    for q in quotes:
        extra = q.extra
        row = [
            _code(extra.get(name, getattr(q, name, None)), CATEGORIES[name]) for name in CATEGORIES
        ]
        seg = extra.get("segment")
        mention = q.speaker_start is not None
        offset = (q.speaker_start - q.start) if mention else 0
        person = art.cast.people.get(q.speaker or "")
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
        ]
        rows.append([float(v) for v in row])
    return rows


def _code(value, values: tuple[str, ...]) -> float:
    try:
        return float(values.index(value))
    except ValueError:
        return math.nan  # LightGBM's missing value: an unknown or absent category


def _flags(seg) -> float:
    names = ("implied", "merged", "continued", "unclosed", "stray")
    flags = seg.flags if seg is not None else set()
    return float(sum(1 << n for n, name in enumerate(names) if name in flags))


def decide(art: Article, quotes: list[ExtractedQuote], model: Model) -> None:
    """Give every attributed quote its calibrated confidence; withdraw the speakers the model
    thinks more likely wrong than its threshold allows."""
    chosen = [q for q in quotes if q.speaker or q.speaker_mention]
    for quote in chosen:
        quote.extra["rule_confidence"] = quote.confidence
    for quote, probability in zip(chosen, model.probabilities(features(art, chosen)), strict=True):
        quote.confidence = probability
        if probability < model.threshold:
            detach(quote)
            quote.extra["withdrawn"] = probability


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
    booster_text = data.get("booster")
    if not isinstance(booster_text, str) or not booster_text.startswith("tree\n"):
        raise ModelError("the model's booster is not LightGBM's text format")
    xs, ys = data.get("calibration_x"), data.get("calibration_y")
    threshold = data.get("threshold")
    if not (
        _numbers(xs)
        and _numbers(ys)
        and len(xs) == len(ys) > 0
        and all(a <= b for a, b in zip(xs, xs[1:], strict=False))
        and all(0 <= y <= 1 for y in ys)
        and isinstance(threshold, int | float)
        and 0 <= threshold <= 1
    ):
        raise ModelError("the model's calibration is not a table of numbers")
    import lightgbm

    try:
        booster = lightgbm.Booster(model_str=booster_text)
    except lightgbm.basic.LightGBMError as error:
        raise ModelError(f"the model's booster does not parse: {error}") from None
    if booster.num_feature() != len(FEATURES):
        raise ModelError("the model's booster has the wrong number of features")
    about = data.get("about") if isinstance(data.get("about"), dict) else {}
    return Model(booster, tuple(xs), tuple(ys), float(threshold), about)


def _numbers(values) -> bool:
    return isinstance(values, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values
    )


def write_model(
    path: Path, booster_text: str, calibration_x, calibration_y, threshold: float, about: dict
) -> None:
    data = {
        "format": FORMAT,
        "features": list(FEATURES),
        "threshold": round(float(threshold), 4),
        "calibration_x": [float(x) for x in calibration_x],
        "calibration_y": [float(y) for y in calibration_y],
        "about": about,
        "booster": booster_text,
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
