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
    assert len(model.members) == 5
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
            row = [rng.choice([0.0, 1.0, 2.0])] + [float("nan")] * 4
            row += [rng.random() for _ in decision.NUMBERS]
            quote = ExtractedQuote(0, 1, "x", "direct", speaker="S")
            item.quotes.append(quote)
            item.chosen.append(quote)
            item.rows.append(row)
            item.labels.append(int(row[0] != 2.0 and row[5] > 0.2 or rng.random() < 0.1))
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
