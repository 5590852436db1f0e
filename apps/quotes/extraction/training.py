"""Train and measure the attribution model (``decision``) on a gold corpus. No Django here.

- ``CachedParser``: spaCy parses kept as DocBin files (under ``.data/``), so that reading 840
  articles again costs seconds, not CPU-minutes;
- ``collect``: the rules' attributions of every article, with their features and whether each is
  right by ``evaluation``'s scorer;
- ``chooser_folds`` / ``chooser_margins`` / ``with_chooser``: the chooser among candidate
  speakers, k ranking boosters each trained on k-1 folds, its margins fitted on every article's
  choices by the booster that never saw it, and the articles again with each one's candidates
  chosen by that booster;
- ``fit``: the decision's k fold boosters, calibrated (Platt) on the scores each gave the fold
  it never saw; the threshold under which a speaker is withdrawn and the one at which a speaker
  the filters withheld is given back; deterministic;
- ``cross_validate``: the same fit on k-1 folds of articles, scored on the fold it never saw.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from apps.quotes.extraction import decision, evaluation
from apps.quotes.extraction import quotes as records
from apps.quotes.extraction.document import SpacyParser
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
# the chooser ranks each quote's candidates (one group a quote), with the same trees
RANKING = {**PARAMS, "objective": "lambdarank", "metric": "ndcg"}
CHOOSER_GAIN = 0.001  # the speaker F1 out of fold a margin must gain to be used at all
MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 2.0)  # 2.0: never
THRESHOLDS = tuple(t / 100 for t in range(0, 65, 5))
RESTORES = (*(t / 100 for t in range(30, 100, 5)), 2.0)  # 2.0: give none back
# A filter's doubts the model may overrule only where the training data holds this many of them
# and the filter is wrong about most (a modifier: 'accused him of "inciting violence"'); a filter
# mostly right (titles, single quotes) or rarely seen (a label before a name) keeps its word, and
# so does the repeated-words filter whatever the data say: words the article also uses as its own
# ('the media focused on "election meddling"') are the writer's, and PolNeAR's annotators give
# such words to the speaker of the sentence they stand in, which a reader of ours would not.
NEVER_RESTORED = ("repeated",)
MIN_WITHHELD = 30
# Withdraw speakers only where that gains this much speaker F1 out of fold: each withdrawal takes
# a speaker from a quote the rules attributed. (At 0.001 bars of 0.35-0.50 were fitted, near the
# F1-best F1 / 2 for calibrated probabilities, and gained 0.003 F1 by cross-validation; but they
# took two right speakers from the seeds, at 0.04 and 0.31, where every gold quote must keep it.)
MIN_GAIN = 0.005
# Give back a speaker a filter withheld where that gains this much: as for the chooser's margins.
RESTORE_GAIN = 0.001
BANDS = tuple(b / 10 for b in range(11))
CALIBRATION_POINTS = 201
CALIBRATION = "platt"  # or "isotonic": CALIBRATORS
CALIBRATION_FOLDS = 5  # the fold boosters whose out-of-fold scores the calibration is fitted on
MEMBERS = "folds"  # the fold boosters decide, their probabilities averaged ("whole": one booster
# trained on every article)
CALIBRATION_REPEATS = 3  # draws of those folds (other seeds), each article's scores averaged
# The decision's probability never falls as the chooser grows surer of the speaker kept.
MONOTONE = {"chooser_p": 1, "chooser_margin": 1}


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
    """One article's extracted quotes (rules only, with those whose speaker a filter withheld)
    and, for each attribution proposed, the features and whether it is right."""

    article: evaluation.GoldArticle
    quotes: list[ExtractedQuote]
    chosen: list[ExtractedQuote] = field(default_factory=list)
    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    parser: object = None  # what parsed it (a CachedParser), to run it again cheaply
    # the chooser's (quote, candidate) pairs, from the rules' run: features and rightness
    # each quote's rows one after another (with a "none" row where the rules gave no speaker:
    # ``candidates.ranked``), how many each, and which of them is the rules' choice
    pair_rows: list[list[float]] = field(default_factory=list)
    pair_labels: list[int] = field(default_factory=list)
    pair_groups: list[int] = field(default_factory=list)
    pair_rules: list[int | None] = field(default_factory=list)


def collect(articles: Sequence[evaluation.GoldArticle], parser, chooser=None) -> list[ArticleRows]:
    """The rules' attributions (with ``chooser``'s choices among candidates, where given) of
    each article, with the decision's features and labels; without a chooser, also the
    candidates' pairs, to train one."""
    from apps.quotes.extraction.candidates import ranked
    from apps.quotes.extraction.engine import extract_many

    texts = (a.text for a in articles)
    out = []
    extracted = extract_many(
        texts, without={"model"}, parser=parser, keep_withheld=True, chooser=chooser
    )
    for article, quotes in zip(articles, extracted, strict=True):
        item = ArticleRows(article, quotes, parser=parser)
        for quote in quotes:
            if "features" in quote.extra:
                item.chosen.append(quote)
                item.rows.append(quote.extra["features"])
                item.labels.append(int(right(article, as_proposed(quote))))
            if "pairs" not in quote.extra:
                continue
            cands, rows = quote.extra["pairs"]
            labels = [int(right(article, as_candidate(quote, cand))) for cand in cands]
            group = ranked(cands, rows)
            if len(group) > len(rows):  # none of them: right where no candidate is
                labels.append(int(not any(labels)))
            item.pair_rows += group
            item.pair_labels += labels
            item.pair_groups.append(len(group))
            item.pair_rules.append(next((i for i, c in enumerate(cands) if c.is_rule), None))
        out.append(item)
    return out


def as_candidate(quote: ExtractedQuote, cand) -> ExtractedQuote:
    """The quote attributed to one of its candidates."""
    copy = _copy(quote)
    copy.speaker = cand.speaker
    copy.speaker_start, copy.speaker_end = cand.mention or (None, None)
    copy.speaker_mention = "mention" if cand.mention else None  # the scorer reads its place
    return copy


def chooser_folds(items: Sequence[ArticleRows], k: int = 5) -> list:
    """k chooser boosters, each trained on the candidates' pairs of all folds but one."""
    boosters = []
    for fold in _folds(len(items), k):
        held = set(fold)
        kept = [item for i, item in enumerate(items) if i not in held]
        boosters.append(
            _train_pairs(
                [r for item in kept for r in item.pair_rows],
                [y for item in kept for y in item.pair_labels],
                [g for item in kept for g in item.pair_groups],
            )
        )
    return boosters


def _train_pairs(rows, labels, groups):
    """A booster ranking each quote's candidates (LightGBM's lambdarank, one group a quote)."""
    import lightgbm
    import numpy as np

    from apps.quotes.extraction.candidates import PAIR_CATEGORIES, PAIR_FEATURES

    data = lightgbm.Dataset(
        np.asarray(rows, dtype=float),
        label=np.asarray(labels, dtype=float),
        group=groups,
        feature_name=list(PAIR_FEATURES),
        categorical_feature=list(range(len(PAIR_CATEGORIES))),
        free_raw_data=False,
    )
    return lightgbm.train(RANKING, data, num_boost_round=ROUNDS)


def chooser_margins(items: Sequence[ArticleRows], boosters: list, k: int = 5) -> tuple:
    """The chooser's margin (how much likelier than the rules' choice another candidate must
    be) and its bar for a quote the rules left without a speaker, with the best speaker F1 over
    every article's choices by the booster (of ``boosters``, one per fold) that never saw it;
    each left at 2 (never) unless it gains CHOOSER_GAIN."""
    import numpy as np

    judged = []  # per quote: (probabilities, labels, the rules' choice)
    for fold, booster in zip(_folds(len(items), k), boosters, strict=True):
        for i in fold:
            item = items[i]
            if not item.pair_rows:
                continue
            chooser = decision.Chooser((booster,))
            probs = chooser.probabilities(item.pair_rows, item.pair_groups)
            at = 0
            for size, rule in zip(item.pair_groups, item.pair_rules, strict=True):
                real = size - (rule is None)
                judged.append(
                    (np.asarray(probs[at : at + real]), item.pair_labels[at : at + real], rule)
                )
                at += size
    score = evaluation.Score()
    for item in items:
        score.add(item.article, rules_only(item))
    kept, right_kept = score.predicted_attributed, score.predicted_right
    gold = score.gold_with_speaker

    def f1(margin: float, alone: float) -> float:
        attributed, correct = kept, right_kept
        for probs, labels, rule in judged:
            best = int(np.argmax(probs))
            if best == rule:
                continue
            if rule is not None and probs[best] >= probs[rule] + margin:
                correct += labels[best] - labels[rule]
            elif rule is None and probs[best] >= alone:
                attributed += 1
                correct += labels[best]
        return evaluation.prf(correct, attributed, correct, gold)[2]

    rules = f1(2.0, 2.0)
    margin = max(MARGINS, key=lambda m: (round(f1(m, 2.0), 4), m))
    if f1(margin, 2.0) < rules + CHOOSER_GAIN:
        margin = 2.0
    alone = max(MARGINS, key=lambda a: (round(f1(margin, a), 4), a))
    if f1(margin, alone) < f1(margin, 2.0) + CHOOSER_GAIN:
        alone = 2.0
    return margin, alone


def collect_chosen(
    articles: Sequence[evaluation.GoldArticle],
    parser,
    boosters: list,
    k: int = 5,
    margins: tuple[float, float] = (None, None),
) -> list[ArticleRows]:
    """``collect`` with each article's candidates chosen by the chooser that never saw it (the
    booster of its fold, with ``margins``): what the decision is trained and measured on."""
    out: list[ArticleRows | None] = [None] * len(articles)
    for fold, booster in zip(_folds(len(articles), k), boosters, strict=True):
        chooser = decision.Chooser((booster,), *margins)
        chosen = collect([articles[i] for i in fold], parser, chooser)
        for i, item in zip(fold, chosen, strict=True):
            out[i] = item
    return out


def with_chooser(
    items: Sequence[ArticleRows], k: int = 5
) -> tuple[decision.Chooser, list[ArticleRows]]:
    """The chooser (its k fold boosters, trained on the rules' candidate pairs, and its
    margins, fitted on their out-of-fold choices) and the articles again, each with its
    candidates chosen by the booster that never saw it."""
    boosters = chooser_folds(items, k)
    margins = chooser_margins(items, boosters, k)
    parser = items[0].parser if items else None
    chosen = collect_chosen([item.article for item in items], parser, boosters, k, margins)
    return decision.Chooser(tuple(boosters), *margins), chosen


def as_proposed(quote: ExtractedQuote) -> ExtractedQuote:
    """The quote with the attribution the rules proposed (a withheld one given back)."""
    if "withheld" not in quote.extra:
        return quote
    copy = _copy(quote)
    records.restore(copy)
    return copy


def rules_only(item: ArticleRows) -> list[ExtractedQuote]:
    """What the engine returns without the model."""
    return [q for q in item.quotes if records.visible(q)]


def _copy(quote: ExtractedQuote) -> ExtractedQuote:
    import copy

    new = copy.copy(quote)
    new.extra = dict(quote.extra)
    return new


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
    chooser: list[str]  # LightGBM text of each chooser booster
    chooser_margins: tuple[float, float]  # its margin over the rules' choice, its bar alone
    threshold: float
    restore: float
    restorable: tuple[str, ...]
    rows: int
    articles: int

    def model(self) -> decision.Model:
        return decision.read_model(
            json.dumps(
                {
                    "format": decision.FORMAT,
                    "features": list(decision.FEATURES),
                    "threshold": self.threshold,
                    "restore": self.restore,
                    "restorable": list(self.restorable),
                    "chooser": self.chooser,
                    "chooser_margin": self.chooser_margins[0],
                    "chooser_alone": self.chooser_margins[1],
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
    params = dict(PARAMS)
    if MONOTONE:
        params["monotone_constraints"] = [MONOTONE.get(f, 0) for f in decision.FEATURES]
    return lightgbm.train(params, data, num_boost_round=ROUNDS)


def _folds(n: int, k: int, seed: int = 0) -> list[list[int]]:
    """Article indexes in k folds: every k-th article (seed 0), or every k-th of the articles
    shuffled with that seed."""
    order = list(range(n))
    if seed:
        random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def shuffled(items: Sequence, seed: int) -> list:
    """The items in another order (seed 0: as they are), for cross-validation on other folds."""
    order = list(range(len(items)))
    if seed:
        random.Random(seed).shuffle(order)
    return [items[i] for i in order]


def out_of_fold(items: Sequence[ArticleRows], k: int, seed: int = 0) -> list:
    """Each article's raw scores from the booster (of k, each trained on k-1 folds) that never
    saw it."""
    import numpy as np

    raw, boosters = [np.zeros(len(item.rows)) for item in items], []
    for fold in _folds(len(items), k, seed):
        held = set(fold)
        rows = [r for i, item in enumerate(items) if i not in held for r in item.rows]
        labels = [y for i, item in enumerate(items) if i not in held for y in item.labels]
        booster = _train(rows, labels)
        for i in fold:
            if items[i].rows:
                raw[i] = booster.predict(np.asarray(items[i].rows, dtype=float))
        boosters.append(booster)
    return raw, boosters


def fit(
    items: Sequence[ArticleRows],
    k: int | None = None,
    chooser: decision.Chooser | None = None,
    repeats: int | None = None,
) -> Fitted:
    """The decision's boosters (the k fold boosters, each trained on k-1 folds, or with
    MEMBERS "whole" one trained on every article), with one calibration (CALIBRATION) fitted on
    the mean of every article's scores from ``repeats`` fold boosters that never saw it (the
    folds drawn again with another seed for each); the thresholds from those probabilities.
    ``chooser``: the chooser (its boosters and margins), kept in the same model file. ``k``
    and ``repeats`` default to CALIBRATION_FOLDS and CALIBRATION_REPEATS."""
    import numpy as np

    k, repeats = k or CALIBRATION_FOLDS, repeats or CALIBRATION_REPEATS
    fitted = [out_of_fold(items, k, seed) for seed in range(repeats)]
    # each article's scores from ``repeats`` boosters, none of which saw it, averaged: what
    # the mean of the k fold boosters is worth on an article none of them saw, the model's
    # confidence (a table fitted on single boosters' scores, applied to their mean, is surer
    # than it should be at the ends: a mean is less extreme than its parts)
    raw = [sum(draw[i] for draw, _ in fitted) / repeats for i in range(len(items))]
    labels = [y for i in items for y in i.labels]
    xs, ys = CALIBRATORS[CALIBRATION](np.concatenate(raw), labels)
    calibrated = [np.interp(r, xs, ys) for r in raw]
    # the fold boosters decide, their scores averaged: out of fold, that ranked the errors
    # better than one booster trained on every article (whose scores, from more data, are
    # also surer than those of the boosters its table was fitted on)
    if MEMBERS == "folds":
        deciders = fitted[0][1]
    else:
        deciders = [
            _train(
                [r for item in items for r in item.rows],
                [y for item in items for y in item.labels],
            )
        ]
    members = [
        {"booster": b.model_to_string(), "calibration_x": xs, "calibration_y": ys} for b in deciders
    ]
    restorable = restorable_filters(items)
    threshold, restore_at = best_thresholds(items, calibrated, restorable)
    return Fitted(
        members,
        [b.model_to_string() for b in chooser.boosters] if chooser else [],
        (chooser.margin, chooser.alone) if chooser else (2.0, 2.0),
        threshold,
        restore_at,
        restorable,
        sum(len(i.rows) for i in items),
        len(items),
    )


def platt_table(raw, labels) -> tuple[list[float], list[float]]:
    """Platt scaling (a logistic regression on the score's log-odds), fitted on every article's
    score from the booster that never saw it, written as a table of CALIBRATION_POINTS: two
    parameters, so the sparse middle bands are not fitted to their noise as an isotonic step
    function would be."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    def logit(p):
        p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
        return np.log(p / (1 - p))

    regression = LogisticRegression(C=1e6)
    regression.fit(logit(raw).reshape(-1, 1), np.asarray(labels, dtype=int))
    xs = np.linspace(0.0, 1.0, CALIBRATION_POINTS)
    ys = regression.predict_proba(logit(xs).reshape(-1, 1))[:, 1]
    return [float(x) for x in xs], [float(y) for y in ys]


def isotonic_table(raw, labels) -> tuple[list[float], list[float]]:
    """Isotonic regression of rightness on the out-of-fold score, as a table like
    ``platt_table``'s (a step function: fits any monotone shape, and the noise of sparse bands)."""
    import numpy as np
    from sklearn.isotonic import IsotonicRegression

    regression = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    regression.fit(np.asarray(raw, dtype=float), np.asarray(labels, dtype=float))
    xs = np.linspace(0.0, 1.0, CALIBRATION_POINTS)
    return [float(x) for x in xs], [float(y) for y in regression.predict(xs)]


CALIBRATORS = {"platt": platt_table, "isotonic": isotonic_table}


def restorable_filters(items: Sequence[ArticleRows]) -> tuple[str, ...]:
    """The filters with at least MIN_WITHHELD withheld attributions in the training data, most
    of them right."""
    seen: dict[str, list[int]] = {}
    for item in items:
        for quote, label in zip(item.chosen, item.labels, strict=True):
            if "withheld" in quote.extra:
                seen.setdefault(quote.extra["scare"], []).append(label)
    return tuple(
        r
        for r in decision.SCARES
        if len(seen.get(r, ())) >= MIN_WITHHELD
        and 2 * sum(seen[r]) > len(seen[r])
        and r not in NEVER_RESTORED
    )


def best_thresholds(
    items: Sequence[ArticleRows], probabilities, restorable: tuple[str, ...]
) -> tuple[float, float]:
    """The withdrawal threshold and the restoring one with the best speaker F1 over these
    (out-of-fold) scores; each left at what the rules do (withdraw none: 0, restore none: 2)
    unless it gains MIN_GAIN (RESTORE_GAIN)."""
    gold = sum(g.has_speaker for item in items for g in item.article.quotes)
    judged = [
        (p, label, "withheld" in quote.extra)
        for item, probs in zip(items, probabilities, strict=True)
        for quote, label, p in zip(item.chosen, item.labels, probs, strict=True)
        if quote.kind in evaluation.QUOTED_KINDS
        and ("withheld" not in quote.extra or quote.extra["scare"] in restorable)
    ]

    def f1(threshold: float, restore_at: float) -> float:
        kept = right_kept = 0
        for p, label, withheld in judged:
            if p >= (restore_at if withheld else threshold):
                kept += 1
                right_kept += label
        return evaluation.prf(right_kept, kept, right_kept, gold)[2]

    rules = f1(0.0, 2.0)
    threshold = max(THRESHOLDS, key=lambda t: (round(f1(t, 2.0), 4), -t))
    if f1(threshold, 2.0) < rules + MIN_GAIN:
        threshold = 0.0
    base = f1(threshold, 2.0)
    restore_at = max(RESTORES, key=lambda r: (round(f1(threshold, r), 4), r))
    if f1(threshold, restore_at) < base + RESTORE_GAIN:
        restore_at = 2.0
    return threshold, restore_at


def apply(item: ArticleRows, model: decision.Model) -> list[ExtractedQuote]:
    """The article's quotes as the engine returns them with this model deciding."""
    quotes = [_copy(q) for q in item.quotes]
    chosen = [q for q in quotes if "features" in q.extra]
    for quote, p in zip(chosen, model.probabilities(item.rows), strict=True):
        decision.settle(quote, p, model)
    return [q for q in quotes if records.visible(q)]


@dataclass
class CrossValidation:
    folds: list[evaluation.Score]
    rules: list[evaluation.Score]
    thresholds: list[tuple[float, float]]  # withdraw below, give back from
    # (confidence, right) of every attribution of a quote (direct/partial), held out
    judged: list[tuple[float, bool]]
    judged_rules: list[tuple[float, bool]]
    # (probability, right) of every attribution the model scored, held out, before its
    # thresholds: kept, withdrawn or withheld alike
    scored: list[tuple[float, bool]] = field(default_factory=list)


def enough(items: Sequence[ArticleRows], k: int) -> bool:
    """Whether k folds of these articles each hold attributions, right and wrong, to learn."""
    labels = [y for item in items for y in item.labels]
    return len(items) >= 2 * k and 0 < sum(labels) < len(labels)


def cross_validate(
    items: Sequence[ArticleRows], k: int = 5, rules_items: Sequence[ArticleRows] | None = None
) -> CrossValidation:
    """The decision fitted on k-1 folds of ``items`` and scored on the fold it never saw, beside
    the rules alone (``rules_items``: the same articles without the chooser; by default
    ``items``)."""
    rules_items = items if rules_items is None else rules_items
    result = CrossValidation([], [], [], [], [])
    for fold in _folds(len(items), k):
        held = set(fold)
        fitted = fit([item for i, item in enumerate(items) if i not in held])
        model = fitted.model()
        result.thresholds.append((fitted.threshold, fitted.restore))
        ours, rules = evaluation.Score(), evaluation.Score()
        for i in fold:
            item = items[i]
            quotes = apply(item, model)
            ours.add(item.article, quotes)
            for quote, p, label in zip(
                item.chosen, model.probabilities(item.rows), item.labels, strict=True
            ):
                if quote.kind in evaluation.QUOTED_KINDS:
                    result.scored.append((p, bool(label)))
            rules.add(item.article, rules_only(rules_items[i]))
            for q in quotes:
                if q.kind in evaluation.QUOTED_KINDS and evaluation.attributed(q):
                    result.judged.append((q.confidence, right(item.article, q)))
            for q in rules_only(rules_items[i]):
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


def calibration_spread(
    draws: Sequence[Sequence[tuple[float, bool]]],
) -> list[tuple[str, float, float, float, float]]:
    """Over several draws of the folds (each judging every attribution once): (band,
    attributions per draw, mean confidence, share right, spread of the band's gap from draw to
    draw) per tenth of confidence."""
    pooled = calibration_table([j for draw in draws for j in draw])
    per_draw = [{b: share - mean for b, _, mean, share in calibration_table(d)} for d in draws]
    rows = []
    for band, count, mean, share in pooled:
        gaps = [gaps[band] for gaps in per_draw if band in gaps]
        rows.append((band, count / len(draws), mean, share, mean_spread(gaps)[1]))
    return rows


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
