"""Train and measure the attribution model (``decision``) on a gold corpus. No Django here.

- ``CachedParser``: spaCy parses kept as DocBin files (under ``.data/``), so that reading 840
  articles again costs seconds, not CPU-minutes;
- ``collect``: the rules' attributions of every article, with their features and whether each is
  right by ``evaluation``'s scorer;
- ``fit``: k LightGBM boosters, each trained on k-1 folds and calibrated (isotonic) on the fold
  it never saw, and the threshold under which a speaker is withdrawn; deterministic;
- ``cross_validate``: the same fit on k-1 folds of articles, scored on the fold it never saw.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from apps.quotes.extraction import decision, evaluation
from apps.quotes.extraction.document import SpacyParser
from apps.quotes.extraction.quotes import SHORT, detach
from apps.quotes.extraction.types import ExtractedQuote

SEED = 13
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.07,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "lambda_l2": 1.0,
    "cat_smooth": 10,
    "seed": SEED,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
ROUNDS = 200
THRESHOLDS = tuple(t / 100 for t in range(0, 65, 5))
# Withdraw speakers only where that gains this much speaker F1 out of fold: a smaller gain is
# noise, and each withdrawal takes a speaker from a quote the rules attributed.
MIN_GAIN = 0.005
BANDS = tuple(b / 10 for b in range(11))


class CachedParser:
    """A ``SpacyParser`` whose parses are kept on disk, one DocBin per article."""

    def __init__(self, nlp, folder: Path):
        self.parser = SpacyParser(nlp)
        self.vocab = nlp.vocab
        self.folder = Path(folder) / f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}"
        self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, full: list[str], names: list[str]) -> list:
        from spacy.tokens import DocBin

        digest = hashlib.sha256()
        for text in [*full, "\x00", *names]:
            digest.update(text.encode("utf-8") + b"\x01")
        path = self.folder / f"{digest.hexdigest()[:32]}.spacy"
        if path.is_file():
            docs = list(DocBin().from_disk(path).get_docs(self.vocab))
            if len(docs) == len(full) + len(names):
                return docs
        docs = self.parser(full, names)
        DocBin(docs=docs).to_disk(path)
        return docs


@dataclass
class ArticleRows:
    """One article's extracted quotes (rules only) and, for those given a speaker, the features
    and whether the attribution is right."""

    article: evaluation.GoldArticle
    quotes: list[ExtractedQuote]
    chosen: list[ExtractedQuote] = field(default_factory=list)
    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    parser: object = None  # what parsed it (a CachedParser), to run it again cheaply


def collect(articles: Sequence[evaluation.GoldArticle], parser) -> list[ArticleRows]:
    from apps.quotes.extraction.engine import extract_many

    texts = (a.text for a in articles)
    out = []
    for article, quotes in zip(
        articles, extract_many(texts, without={"model"}, parser=parser), strict=True
    ):
        item = ArticleRows(article, quotes, parser=parser)
        for quote in quotes:
            if "features" in quote.extra:
                item.chosen.append(quote)
                item.rows.append(quote.extra["features"])
                item.labels.append(int(right(article, quote)))
        out.append(item)
    return out


def right(article: evaluation.GoldArticle, quote: ExtractedQuote) -> bool:
    """The scorer's verdict: a gold quote (or claim) this one matches, with the right speaker."""
    if quote.kind in evaluation.QUOTED_KINDS:
        golds = article.quotes
    else:
        golds = article.contents or article.indirect + article.quotes
    return any(evaluation.matches(quote, g) and evaluation.speaker_right(quote, g) for g in golds)


@dataclass
class Fitted:
    members: list[dict]  # booster (LightGBM text), calibration_x, calibration_y
    threshold: float
    rows: int
    articles: int

    def model(self) -> decision.Model:
        return decision.read_model(
            json.dumps(
                {
                    "format": decision.FORMAT,
                    "features": list(decision.FEATURES),
                    "threshold": self.threshold,
                    "members": self.members,
                }
            )
        )


def _train(rows, labels):
    import lightgbm
    import numpy as np

    data = lightgbm.Dataset(
        np.asarray(rows, dtype=float),
        label=np.asarray(labels, dtype=float),
        feature_name=[f.replace(" ", "_") for f in decision.FEATURES],
        categorical_feature=list(range(len(decision.CATEGORIES))),
        free_raw_data=False,
    )
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def _folds(n: int, k: int) -> list[list[int]]:
    """Article indexes in k folds, in a fixed order (every k-th article)."""
    return [list(range(i, n, k)) for i in range(k)]


def fit(items: Sequence[ArticleRows], k: int = 5) -> Fitted:
    """k boosters, each trained on k-1 folds of the articles and calibrated (isotonic) on the
    fold it never saw; the threshold from those out-of-fold probabilities."""
    import numpy as np
    from sklearn.isotonic import IsotonicRegression

    members = []
    calibrated = [np.zeros(len(item.rows)) for item in items]
    for fold in _folds(len(items), k):
        held = set(fold)
        rows = [r for i, item in enumerate(items) if i not in held for r in item.rows]
        labels = [y for i, item in enumerate(items) if i not in held for y in item.labels]
        booster = _train(rows, labels)
        scored = [i for i in fold if items[i].rows]
        raw = [booster.predict(np.asarray(items[i].rows, dtype=float)) for i in scored]
        isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        isotonic.fit(
            np.concatenate(raw), np.asarray([y for i in scored for y in items[i].labels], float)
        )
        xs, ys = list(isotonic.X_thresholds_), list(isotonic.y_thresholds_)
        for i, r in zip(scored, raw, strict=True):
            calibrated[i] = np.interp(r, xs, ys)
        members.append(
            {"booster": booster.model_to_string(), "calibration_x": xs, "calibration_y": ys}
        )
    threshold = best_threshold(items, calibrated)
    return Fitted(members, threshold, sum(len(i.rows) for i in items), len(items))


def best_threshold(items: Sequence[ArticleRows], probabilities) -> float:
    """The withdrawal threshold with the best speaker F1 over these (out-of-fold) scores, or 0
    (keep every choice of the rules) where none gains MIN_GAIN."""
    best, best_f1, kept_all = 0.0, -1.0, None
    gold = sum(g.has_speaker for item in items for g in item.article.quotes)
    for threshold in THRESHOLDS:
        kept = right_kept = 0
        for item, probs in zip(items, probabilities, strict=True):
            for quote, label, p in zip(item.chosen, item.labels, probs, strict=True):
                if quote.kind in evaluation.QUOTED_KINDS and p >= threshold:
                    kept += 1
                    right_kept += label
        _, _, f1 = evaluation.prf(right_kept, kept, right_kept, gold)
        kept_all = f1 if kept_all is None else kept_all
        if f1 > best_f1 + 1e-4:
            best, best_f1 = threshold, f1
    return best if best_f1 >= kept_all + MIN_GAIN else 0.0


def apply(item: ArticleRows, model: decision.Model) -> list[ExtractedQuote]:
    """The article's quotes as the engine returns them with this model deciding."""
    import copy

    quotes = [copy.copy(q) for q in item.quotes]
    for q in quotes:
        q.extra = dict(q.extra)
    chosen = [q for q in quotes if "features" in q.extra]
    for quote, p in zip(chosen, model.probabilities(item.rows), strict=True):
        quote.confidence = p
        if p < model.threshold:
            detach(quote)
            quote.extra["withdrawn"] = p
    return [
        q
        for q in quotes
        if "withdrawn" not in q.extra or (q.kind != "indirect" and len(q.text.split()) > SHORT)
    ]


@dataclass
class CrossValidation:
    folds: list[evaluation.Score]
    rules: list[evaluation.Score]
    thresholds: list[float]
    # (confidence, right) of every attribution of a quote (direct/partial), held out
    judged: list[tuple[float, bool]]
    judged_rules: list[tuple[float, bool]]


def enough(items: Sequence[ArticleRows], k: int) -> bool:
    """Whether k folds of these articles each hold attributions, right and wrong, to learn."""
    labels = [y for item in items for y in item.labels]
    return len(items) >= 2 * k and 0 < sum(labels) < len(labels)


def cross_validate(items: Sequence[ArticleRows], k: int = 5) -> CrossValidation:
    result = CrossValidation([], [], [], [], [])
    for fold in _folds(len(items), k):
        held = set(fold)
        fitted = fit([item for i, item in enumerate(items) if i not in held])
        model = fitted.model()
        result.thresholds.append(fitted.threshold)
        ours, rules = evaluation.Score(), evaluation.Score()
        for i in fold:
            item = items[i]
            quotes = apply(item, model)
            ours.add(item.article, quotes)
            rules.add(item.article, item.quotes)
            for q in quotes:
                if q.kind in evaluation.QUOTED_KINDS and evaluation.attributed(q):
                    result.judged.append((q.confidence, right(item.article, q)))
            for q in item.quotes:
                if q.kind in evaluation.QUOTED_KINDS and evaluation.attributed(q):
                    result.judged_rules.append((q.confidence, right(item.article, q)))
        result.folds.append(ours)
        result.rules.append(rules)
    return result


def calibration_table(judged: Sequence[tuple[float, bool]]) -> list[tuple[str, int, float, float]]:
    """(band, attributions, mean confidence, share right) per tenth of confidence."""
    table = []
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        inside = [(p, r) for p, r in judged if lo <= p < hi or (hi == 1.0 and p == 1.0)]
        if inside:
            mean = sum(p for p, _ in inside) / len(inside)
            share = sum(r for _, r in inside) / len(inside)
            table.append((f"{lo:.1f}-{hi:.1f}", len(inside), mean, share))
    return table


def errors_caught(judged: Sequence[tuple[float, bool]], share: float) -> float:
    """Of all wrong attributions, the part among the least confident ``share`` of them."""
    ordered = sorted(judged, key=lambda j: j[0])
    errors = sum(not r for _, r in ordered)
    if not errors:
        return math.nan
    cut = round(len(ordered) * share)
    return sum(not r for _, r in ordered[:cut]) / errors


def mean_spread(values: Sequence[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    return mean, (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
