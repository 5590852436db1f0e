"""Candidate speakers: each quote is paired with the rules' choice and the speech cues near it,
and takes another candidate only where the chooser clearly prefers it."""

import pytest

from apps.quotes.extraction.candidates import MARGIN, PAIR_FEATURES
from apps.quotes.extraction.engine import extract_many

TEXT = (
    "Sergey Lavrov met Mike Pompeo in Sochi.\n"
    "“We made progress on trade,” Lavrov said, as Pompeo told reporters the talks were useful.\n"
)
IS_RULE = PAIR_FEATURES.index("is_rule")


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
    quote = run("The union rejected the offer as “insulting” on Friday.\n")["insulting"]
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
