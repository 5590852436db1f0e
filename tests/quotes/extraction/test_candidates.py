"""Candidate speakers: each quote is paired with the rules' choice and the speech cues near it,
and takes another candidate only where the chooser clearly prefers it."""

import math

import pytest

from apps.quotes.extraction import decision
from apps.quotes.extraction.candidates import MARGIN, PAIR_FEATURES, ranked
from apps.quotes.extraction.engine import extract_many

TEXT = (
    "Sergey Lavrov met Mike Pompeo in Sochi.\n"
    "“We made progress on trade,” Lavrov said, as Pompeo told reporters the talks were useful.\n"
)
IS_RULE = PAIR_FEATURES.index("is_rule")
NONE = PAIR_FEATURES.index("none")


class Prefers:
    """A chooser that scores the rules' choice ``rule`` and every other candidate ``other``."""

    def __init__(self, rule, other):
        self.rule, self.other = rule, other

    def probabilities(self, rows, sizes):
        return [self.rule if row[IS_RULE] else self.other for row in rows]


def run(text, chooser=None, without=("model",)):
    quotes = next(extract_many([text], without=set(without), chooser=chooser, keep_withheld=True))
    return {q.text: q for q in quotes}


def test_a_quote_is_paired_with_the_rules_choice_and_the_cues_near_it():
    quote = run(TEXT)["We made progress on trade,"]
    cands, rows = quote.extra["pairs"]
    assert [c.speaker for c in cands if c.is_rule] == ["Sergey Lavrov"]
    assert "Mike Pompeo" in {c.speaker for c in cands if not c.is_rule}
    assert all(len(row) == len(PAIR_FEATURES) for row in rows)


def test_the_chooser_switches_only_when_it_clearly_prefers_another():
    switched = run(TEXT, Prefers(0.3, 0.3 + MARGIN + 0.1))["We made progress on trade,"]
    kept = run(TEXT, Prefers(0.5, 0.5 + MARGIN / 2))["We made progress on trade,"]
    assert switched.speaker == "Mike Pompeo" and switched.extra["via"] == "chosen"
    assert kept.speaker == "Sergey Lavrov"


def test_without_the_chooser_stage_the_rules_choice_stands():
    quotes = run(TEXT, Prefers(0.0, 1.0), without=("model", "chooser"))
    assert quotes["We made progress on trade,"].speaker == "Sergey Lavrov"


def test_quotes_with_their_candidates_pickle_to_another_process():
    import pickle

    quotes = list(run(TEXT).values())
    assert pickle.loads(pickle.dumps(quotes))[0].text == quotes[0].text


def test_the_verb_a_quote_hangs_on_offers_its_subject_though_it_reports_no_speech():
    quote = run("The union saw the offer as “insulting” on Friday.\n")["insulting"]
    cands, rows = quote.extra["pairs"]
    weak = [row[PAIR_FEATURES.index("weak")] for row in rows]
    assert [(c.speaker, w) for c, w in zip(cands, weak, strict=True)] == [("union", 1.0)]
    assert quote.speaker is None  # the rules do not give it: only the chooser may


def test_the_chooser_leaves_its_doubt_about_the_speaker_kept_for_the_decision():
    doubted = run(TEXT, Prefers(0.5, 0.5 + MARGIN / 2))["We made progress on trade,"]
    clear = run(TEXT, Prefers(0.9, 0.1))["We made progress on trade,"]
    assert doubted.speaker == clear.speaker == "Sergey Lavrov"
    assert doubted.extra["chooser_margin"] == pytest.approx(-MARGIN / 2)
    assert clear.extra["chooser_margin"] == pytest.approx(0.8)
    assert clear.extra["chooser_p"] == pytest.approx(0.9)
    assert clear.extra["candidates"] == len(
        run(TEXT)["We made progress on trade,"].extra["pairs"][0]
    )


def test_a_speaker_the_chooser_switched_to_carries_its_lead():
    switched = run(TEXT, Prefers(0.3, 0.3 + MARGIN + 0.1))["We made progress on trade,"]
    assert switched.extra["via"] == "chosen"
    assert switched.extra["chooser_p"] == pytest.approx(0.3 + MARGIN + 0.1)
    # two candidates: its lead is over the rules' choice
    assert switched.extra["candidates"] == 2
    assert switched.extra["chooser_margin"] == pytest.approx(MARGIN + 0.1)


class PrefersNone:
    """A chooser ranking "none of them" ``none`` and every candidate ``other``."""

    def __init__(self, none, other):
        self.none, self.other = none, other
        self.margin = self.alone = 0.3

    def probabilities(self, rows, sizes):
        return [self.none if row[NONE] else self.other for row in rows]


UNION = "The union saw the offer as “insulting” on Friday.\n"


def test_a_quote_the_rules_left_without_a_speaker_may_stay_without_one():
    quote = run(UNION)["insulting"]
    cands, rows = quote.extra["pairs"]
    group = ranked(cands, rows)
    assert group[: len(rows)] == rows and len(group) == len(rows) + 1
    none = group[-1]
    assert none[NONE] == 1.0 and all(row[NONE] == 0.0 for row in rows)
    assert math.isnan(none[PAIR_FEATURES.index("distance")])  # it says nothing of a speaker
    assert none[PAIR_FEATURES.index("words")] == rows[0][PAIR_FEATURES.index("words")]
    left = run(UNION, PrefersNone(0.8, 0.2)).get("insulting")
    assert left is None or left.speaker is None
    chosen = run(UNION, PrefersNone(0.2, 0.8))["insulting"]
    assert chosen.speaker == "union" and chosen.extra["via"] == "chosen"


def test_a_quote_with_the_rules_speaker_has_no_none_row():
    cands, rows = run(TEXT)["We made progress on trade,"].extra["pairs"]
    assert ranked(cands, rows) == rows


def test_the_pairs_say_how_the_quote_hangs_on_each_cue():
    cands, rows = run(TEXT)["We made progress on trade,"].extra["pairs"]
    by = {c.speaker: row for c, row in zip(cands, rows, strict=True)}
    lavrov, pompeo = by["Sergey Lavrov"], by["Mike Pompeo"]
    depth = PAIR_FEATURES.index("depth")
    assert lavrov[depth] == 1.0  # 'said' governs the quoted clause directly
    assert math.isnan(pompeo[depth])  # 'told' does not
    rank = PAIR_FEATURES.index("side_rank")
    assert (lavrov[rank], pompeo[rank]) == (0.0, 1.0)  # Lavrov's cue is the nearer after it


def test_the_committed_chooser_gives_each_quote_probabilities_that_sum_to_one():
    chooser = decision.load_model().chooser
    found = [q.extra["pairs"] for q in run(TEXT + UNION).values() if "pairs" in q.extra]
    groups = [ranked(cands, rows) for cands, rows in found]
    probs = chooser.probabilities([r for g in groups for r in g], [len(g) for g in groups])
    at = 0
    for group in groups:
        assert sum(probs[at : at + len(group)]) == pytest.approx(1.0)
        assert all(0 < p < 1 for p in probs[at : at + len(group)])
        at += len(group)
    assert 0 <= chooser.margin <= 2 and 0 <= chooser.alone <= 2
