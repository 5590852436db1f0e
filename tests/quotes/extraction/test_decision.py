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
    assert len(model.members) == training.CALIBRATION_FOLDS  # the fold boosters
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
        ({"chooser_margin": "__import__('os')"}, "margins"),
        ({"chooser_alone": -1}, "margins"),
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


def features_of(text, chooser=None):
    """Each proposed attribution's decision features by name, keyed by the quote's text."""
    from apps.quotes.extraction.engine import extract_many

    quotes = next(extract_many([text], without={"model"}, chooser=chooser))
    return {
        q.text: dict(zip(decision.FEATURES, q.extra["features"], strict=True))
        for q in quotes
        if "features" in q.extra
    }


class Prefers:
    """A chooser scoring the rules' choice ``rule`` and every other candidate ``other``."""

    def __init__(self, rule, other):
        self.rule, self.other = rule, other

    def probabilities(self, rows, sizes):
        from apps.quotes.extraction.candidates import PAIR_FEATURES

        is_rule = PAIR_FEATURES.index("is_rule")
        return [self.rule if row[is_rule] else self.other for row in rows]


TWO_SPEAKERS = (
    "Sergey Lavrov met Mike Pompeo in Sochi.\n"
    "“We made progress on trade,” Lavrov said, as Pompeo told reporters the talks were useful.\n"
)


def test_a_quote_whose_speaker_the_chooser_doubted_ranks_below_a_clear_one():
    """The editors' queue puts first what the model doubts: the same quote, the same speaker,
    is less likely right where the chooser nearly preferred another candidate."""
    from apps.quotes.extraction.candidates import MARGIN

    model = decision.load_model()
    quote = "We made progress on trade,"
    clear = features_of(TWO_SPEAKERS, Prefers(0.95, 0.05))[quote]
    doubted = features_of(TWO_SPEAKERS, Prefers(0.5, 0.5 + MARGIN / 2))[quote]
    assert clear["chooser_margin"] > 0 > doubted["chooser_margin"]
    rows = [[row[name] for name in decision.FEATURES] for row in (clear, doubted)]
    sure, unsure = model.probabilities(rows)
    assert unsure < sure


def test_the_chooser_never_makes_the_decision_less_sure_as_it_grows_surer():
    """Monotone in the chooser's probability and lead, whatever the rest of the row."""
    model = decision.load_model()
    base = features_of(TWO_SPEAKERS, Prefers(0.6, 0.4))["We made progress on trade,"]
    p_at, m_at = decision.FEATURES.index("chooser_p"), decision.FEATURES.index("chooser_margin")
    rows = []
    for step in range(11):
        row = [base[name] for name in decision.FEATURES]
        row[p_at], row[m_at] = step / 10, -0.5 + step / 10
        rows.append(row)
    probabilities = model.probabilities(rows)
    assert probabilities == sorted(probabilities)


def test_a_speaker_whose_cue_sits_in_another_cues_reported_clause_is_marked_nested():
    nested = features_of(
        "Wilbur Ross met reporters on Monday.\n"
        "Ross said Barack Obama had told leaders that “the deal is done and will stay done.”\n"
    )
    plain = features_of(
        "Wilbur Ross met reporters on Monday.\n"
        "Barack Obama told leaders that “the deal is done and will stay done.”\n"
    )
    quote = "the deal is done and will stay done."
    assert nested[quote]["nested_cue"] == 1.0
    assert plain[quote]["nested_cue"] == 0.0
    # a clause beside the speech verb is not one it reports
    beside = features_of(TWO_SPEAKERS)
    assert all(row["nested_cue"] == 0.0 for row in beside.values())


def test_a_pronouns_speaker_is_measured_back_to_where_they_were_named():
    rows = features_of(
        "Sergey Lavrov met Mike Pompeo in Sochi on Monday for talks on trade and arms.\n"
        "“We made progress on trade,” he said.\n"
    )
    named = features_of("“We made progress on trade,” Sergey Lavrov said.\n")
    quote = "We made progress on trade,"
    assert rows[quote]["antecedent_distance"] > named[quote]["antecedent_distance"] == 0.0
    assert rows[quote]["mention_sentences"] == named[quote]["mention_sentences"] == 0.0


def test_cues_of_other_speakers_between_a_quote_and_its_speaker_are_counted():
    text = "Lavrov said this. Pompeo told them that. “We made progress.”"
    quote = ExtractedQuote(text.index("We"), len(text) - 1, "We made progress.", "direct")
    quote.speaker_start, quote.speaker_end = 0, len("Lavrov")
    places = [(text.index("said"), 0), (text.index("told"), text.index("Pompeo"))]
    assert decision._cues_between(quote, places) == 1  # Pompeo's, not Lavrov's own
    quote.speaker_start, quote.speaker_end = text.index("Pompeo"), text.index(" told")
    assert decision._cues_between(quote, places) == 0


def test_folds_of_every_seed_hold_each_article_once():
    for seed in (0, 1, 2):
        folds = training._folds(23, 5, seed)
        assert sorted(i for fold in folds for i in fold) == list(range(23))
        assert {len(fold) for fold in folds} <= {4, 5}
    assert training._folds(23, 5, 0) == [list(range(i, 23, 5)) for i in range(5)]
    assert training._folds(23, 5, 1) != training._folds(23, 5, 2)


@pytest.mark.parametrize("calibrator", sorted(training.CALIBRATORS))
def test_each_calibration_is_a_monotone_table_of_probabilities(calibrator):
    rng = random.Random(3)
    raw = [rng.random() for _ in range(400)]
    labels = [int(rng.random() < r) for r in raw]  # right as often as the score says
    xs, ys = training.CALIBRATORS[calibrator](raw, labels)
    assert xs == sorted(xs) and ys == sorted(ys)
    assert all(0 <= y <= 1 for y in ys)
    assert abs(ys[len(ys) // 2] - 0.5) < 0.15


def test_the_calibration_spread_shows_how_far_a_band_moves_between_draws():
    first = [(0.95, True)] * 9 + [(0.95, False), (0.35, True), (0.35, False)]
    second = [(0.95, True)] * 10 + [(0.35, False), (0.35, False)]
    rows = {band: rest for band, *rest in training.calibration_spread([first, second])}
    count, mean, share, spread = rows["0.3-0.4"]
    assert (count, mean, share) == (2, pytest.approx(0.35), pytest.approx(0.25))
    assert spread == pytest.approx(0.25)  # gaps +0.15 and -0.35: half their distance
    assert rows["0.9-1.0"][3] == pytest.approx(0.05)
