"""The learned decision: the committed model loads without running code, a tampered file is
refused, confidence is the calibrated probability, and training is deterministic."""

import builtins
import json
import pickle
import random

import pytest

from apps.quotes.extraction import decision, evaluation, extract, training
from apps.quotes.extraction.types import ExtractedQuote

TEXT = (
    "Sergey Lavrov met Mike Pompeo in Sochi.\n"
    "“We made progress on trade,” Lavrov said. “Real progress.”\n"
    "Pompeo said the talks were useful.\n"
)


def refuse(*args, **kwargs):
    raise AssertionError("loading the model ran code")


def test_the_committed_model_loads_without_running_code(monkeypatch):
    import lightgbm  # noqa: F401  (importing a module runs its code; loading the model must not)

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    model = decision.read_model(decision.MODEL_PATH.read_text(encoding="utf-8"))
    assert 0 <= model.threshold <= 1
    assert len(model.members) == 1
    assert model.chooser is not None and len(model.chooser.boosters) == 5
    for member in model.members:  # isotonic: monotone
        assert list(member.calibration_y) == sorted(member.calibration_y)
    assert "PolNeAR" in model.about["trained_on"]


class Payload:
    def __reduce__(self):
        import pathlib

        return (pathlib.Path.touch, (pathlib.Path(Payload.target),))


def test_a_pickle_in_place_of_the_model_is_refused_unrun(tmp_path):
    Payload.target = str(tmp_path / "ran")
    with pytest.raises(decision.ModelError, match="not JSON"):
        decision.read_model(pickle.dumps(Payload()).decode("latin-1"))
    assert not (tmp_path / "ran").exists()


def pickled_booster(member):
    member["booster"] = "gASVAAAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJsc5SFlFKULg=="


def broken_booster(member):
    member["booster"] = "tree\nversion=v4\nnum_class=1\nnot a tree at all"


def code_for_numbers(member):
    member["calibration_y"] = ["__import__('os')"] * 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": 1}, "format"),
        ({"features": ["via", "kind"]}, "other features"),
        ({"threshold": 7}, "threshold"),
        ({"members": "gASVAAAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJsc5SFlFKULg=="}, "no members"),
        (pickled_booster, "text format"),
        (broken_booster, "does not parse"),
        (code_for_numbers, "table of numbers"),
    ],
)
def test_a_tampered_model_file_is_refused(change, message):
    data = json.loads(decision.MODEL_PATH.read_text(encoding="utf-8"))
    if callable(change):
        change(data["members"][-1])
    else:
        data.update(change)
    with pytest.raises(decision.ModelError, match=message):
        decision.read_model(json.dumps(data))


def test_confidence_is_the_models_calibrated_probability():
    model = decision.load_model()
    assert model is not None
    quotes = [q for q in extract(TEXT) if q.speaker]
    assert quotes
    low = min(m.calibration_y[0] for m in model.members)
    high = max(m.calibration_y[-1] for m in model.members)
    for quote in quotes:
        assert "rule_confidence" in quote.extra
        assert low <= quote.confidence <= high


def test_without_a_model_file_the_rules_decide(monkeypatch, tmp_path):
    monkeypatch.setattr(decision, "MODEL_PATH", tmp_path / "absent.json")
    decision.load_model.cache_clear()
    try:
        assert decision.load_model(tmp_path / "absent.json") is None
        by_rules = {q.text: (q.speaker, q.confidence) for q in extract(TEXT, without=["model"])}
        assert by_rules["We made progress on trade,"][0] == "Sergey Lavrov"
    finally:
        decision.load_model.cache_clear()


def synthetic(n_articles=40, seed=1):
    """Articles of random attributions whose rightness depends on two features."""
    rng = random.Random(seed)
    items = []
    for a in range(n_articles):
        article = evaluation.GoldArticle(f"a{a}", "")
        item = training.ArticleRows(article, [])
        for _ in range(10):
            row = [rng.choice([0.0, 1.0, 2.0])] + [float("nan")] * (len(decision.CATEGORIES) - 1)
            first_number = len(row)
            row += [rng.random() for _ in decision.NUMBERS]
            quote = ExtractedQuote(0, 1, "x", "direct", speaker="S")
            item.quotes.append(quote)
            item.chosen.append(quote)
            item.rows.append(row)
            item.labels.append(int(row[0] != 2.0 and row[first_number] > 0.2 or rng.random() < 0.1))
            article.quotes.append(evaluation.GoldQuote(0, 1, "x", speaker="S"))
        items.append(item)
    return items


def test_training_is_deterministic_and_calibrated():
    items = synthetic()
    first, second = training.fit(items), training.fit(synthetic())
    assert first.members == second.members
    model = first.model()
    probabilities = model.probabilities([r for item in items for r in item.rows])
    assert all(0 <= p <= 1 for p in probabilities)


def test_calibration_table_and_errors_caught():
    judged = [(0.95, True)] * 8 + [(0.92, False), (0.3, False), (0.35, True), (0.31, False)]
    table = training.calibration_table(judged)
    assert [band for band, *_ in table] == ["0.3-0.4", "0.9-1.0"]
    assert table[1][1:] == (9, pytest.approx((0.95 * 8 + 0.92) / 9), pytest.approx(8 / 9))
    # the 3 least confident of 12 (25%) hold 2 of the 3 errors
    assert training.errors_caught(judged, 0.25) == pytest.approx(2 / 3)


def _confidences(text):
    return [round(q.confidence, 6) for q in extract(text)]


def test_a_process_forked_after_the_model_ran_can_still_extract():
    """The ingest pipeline forks its engine processes: the model must leave no OpenMP thread
    pool behind in the parent, or the children hang on it."""
    import multiprocessing

    expected = _confidences(TEXT)
    pool = multiprocessing.get_context("fork").Pool(2)
    try:
        assert pool.map_async(_confidences, [TEXT] * 2).get(timeout=120) == [expected] * 2
    finally:
        pool.terminate()


class Fixed:
    """A model whose probability is fixed, to show what the decision does with it."""

    def __init__(self, threshold=0.3, restore=0.6, restorable=("modifier",)):
        self.threshold, self.restore, self.restorable = threshold, restore, restorable


def withheld_quote(reason):
    from apps.quotes.extraction.quotes import withhold

    quote = ExtractedQuote(0, 12, "proven failure", "partial", speaker="Elizabeth Warren")
    quote.speaker_mention, quote.cue, quote.confidence = "Warren", "said", 0.8
    withhold(quote, reason)
    return quote


def test_the_decision_gives_back_a_withheld_speaker_it_finds_likely_right():
    quote = withheld_quote("modifier")
    assert quote.speaker is None
    decision.settle(quote, 0.7, Fixed())
    attribution = (quote.speaker, quote.speaker_mention, quote.cue)
    assert attribution == ("Elizabeth Warren", "Warren", "said")
    assert quote.confidence == 0.7


def test_a_withheld_speaker_stays_withheld_below_the_threshold_or_for_a_filter_it_trusts():
    low = withheld_quote("modifier")
    decision.settle(low, 0.5, Fixed())
    trusted = withheld_quote("title")
    decision.settle(trusted, 0.99, Fixed())
    assert low.speaker is None and trusted.speaker is None


def test_a_kept_speaker_below_the_threshold_is_withdrawn():
    quote = ExtractedQuote(0, 5, "words", "direct", speaker="S", confidence=0.9)
    decision.settle(quote, 0.2, Fixed())
    assert quote.speaker is None and quote.extra["withdrawn"] == 0.2


def test_only_filters_mostly_wrong_in_training_may_be_overruled():
    items = synthetic()
    for n, item in enumerate(items):
        for k, reason in enumerate(("modifier", "title", "repeated")):
            quote = withheld_quote(reason)
            item.chosen.append(quote)
            item.rows.append(item.rows[0])
            item.labels.append(int(reason != "title" or (n + k) % 4 == 0))
    assert training.restorable_filters(items) == ("modifier",)
    assert training.fit(items).restorable == ("modifier",)
