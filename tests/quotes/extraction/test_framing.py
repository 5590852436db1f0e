"""Which cue frames each quoted segment, and how."""

from apps.quotes.extraction.cues import find_cues
from apps.quotes.extraction.framing import frame_quotes


def frames(art, without=frozenset()):
    chosen = frame_quotes(art, find_cues(art).cues, without=without)
    return {art.text[s.start : s.end]: chosen.get(n) for n, s in enumerate(art.segments)}


def test_a_cue_after_the_quote_frames_it(parsed):
    got = frames(parsed("“We are ready,” Ruiz said.\n"))
    frame = got["We are ready,"]
    assert (frame.how, frame.cue.text) == ("tail", "said")


def test_a_cue_before_the_quote_in_its_sentence_frames_it(parsed):
    got = frames(parsed("Arbatov said: “So far, this is a declarative undertaking.”\n"))
    assert got["So far, this is a declarative undertaking."].how == "head"


def test_partial_quotes_take_the_verb_they_depend_on(parsed):
    art = parsed("Jeb Bush tweeted that Trump is a “loser,” a “liar” and a “whiner.”\n")
    got = frames(art)
    assert {got[w].cue.text for w in ("loser,", "liar")} == {"tweeted"}


def test_the_governing_rule_can_be_switched_off(parsed):
    art = parsed("Jeb Bush tweeted that Trump is a “loser,” a “liar” and a “whiner.”\n")
    got = frames(art, without=frozenset({"governs"}))
    assert got["liar"] is None


def test_a_cue_after_a_finished_sentence_does_not_frame_it(parsed):
    # the quote ends its sentence; 'Ruiz said' begins the next one and frames what follows
    art = parsed("“The vote is over.” Ruiz said the count would take a week.\n")
    frame = frames(art)["The vote is over."]
    assert frame is None or frame.how != "tail"


def test_a_bare_report_after_a_finished_sentence_frames_it(parsed):
    # a comma typed as a full stop: the next sentence only says who spoke
    art = parsed("“Russia, if you are listening, find the emails.” Trump said.\n")
    frame = frames(art)["Russia, if you are listening, find the emails."]
    assert frame is not None and (frame.how, frame.cue.text) == ("tail", "said")
