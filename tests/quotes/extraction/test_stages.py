"""The engine as a whole: stages switched off by name, quote kinds."""

import pytest

from apps.quotes.extraction import extract
from apps.quotes.extraction.engine import STAGES, extract_many


def test_an_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="no such stage: cues"):
        extract("“Yes,” he said.", without=["cues"])


def test_every_stage_can_be_switched_off():
    text = "Sergey Lavrov met Mike Pompeo.\n“We made progress,” Lavrov said. “Real progress.”\n"
    for stage in STAGES:
        assert [q.text for q in extract(text, without=[stage])][:1] == ["We made progress,"]


def test_without_inheritance_a_quote_with_no_cue_has_no_speaker():
    text = "Sergey Lavrov met Mike Pompeo.\n“We made progress,” Lavrov said. “Real progress.”\n"
    on = {q.text: q.speaker for q in extract(text)}
    off = {
        q.text: q.speaker
        for q in extract(text, without=["inherit", "previous-paragraph", "chooser"])
    }
    assert on["Real progress."] == "Sergey Lavrov"
    assert off.get("Real progress.") is None


def test_a_short_whole_sentence_quoted_is_direct():
    text = "Markets were calm on Monday. “Prices will fall,” the minister said.\n"
    (found,) = [q for q in extract(text) if q.text == "Prices will fall,"]
    assert found.kind == "direct"


def test_a_short_fragment_inside_a_sentence_stays_partial():
    text = "Ana Ruiz met Pedro Alva.\nRuiz said the plan was “not encouraging,” and left.\n"
    (found,) = [q for q in extract(text) if q.text == "not encouraging,"]
    assert found.kind == "partial"


def test_a_dateline_is_neither_a_speaker_nor_a_sentence():
    text = "BOSTON (Reuters) — “We will rebuild,” said the mayor, Tom Walsh.\n"
    (found,) = [q for q in extract(text) if q.text == "We will rebuild,"]
    assert (found.kind, found.speaker) == ("direct", "Tom Walsh")


def test_a_time_budget_stops_the_parse_of_a_huge_article():
    from apps.articles import shapes
    from apps.quotes.extraction import OverBudget, extract

    text = shapes.article("paragraph", 256 * 1024)
    with pytest.raises(OverBudget, match="over the time budget of 0.2 s per article"):
        extract(text, budget_seconds=0.2)
    short = "Talks ended\n\n“We will talk again,” Sergey Lavrov said on Friday.\n"
    assert [q.speaker for q in extract(short, budget_seconds=0.2)] == ["Sergey Lavrov"]


def test_a_paragraph_ending_in_a_colon_introduces_the_quote_below_it():
    quotes = next(
        extract_many(
            [
                "After the vote, council leader Ines Varga issued the following statement:\n\n"
                "“We have listened to residents and we will pause the scheme.”\n"
            ],
            without={"model"},
        )
    )
    assert [(q.speaker, q.extra["via"]) for q in quotes] == [("Ines Varga", "after-colon")]


def test_a_quote_after_a_tail_cue_stays_with_that_speaker_not_the_next_sentences():
    quotes = next(
        extract_many(
            [
                "Mayor John Smith spoke to the council. “The budget is a disgrace,” the mayor "
                "said. “It shows no respect for residents.” Smith said both rivals were "
                "“out of touch.”\n"
            ],
            without={"model"},
        )
    )
    second = next(q for q in quotes if q.text.startswith("It shows"))
    assert second.speaker == "John Smith" and second.speaker_mention == "the mayor"


def test_a_colon_paragraph_takes_over_from_the_quote_before_it():
    quotes = next(
        extract_many(
            [
                "“We need more people to join me,” Tom Becker wrote.\n\n"
                "His deputy, Jane Walsh, then listed the qualities she wants in a nominee:\n\n"
                "“In the piece I wrote last year, I discussed several factors. Here they are:\n\n"
                "“Has the candidate a record of personal activism?”\n"
            ],
            without={"model"},
        )
    )
    speakers = {q.text[:12]: q.speaker for q in quotes}
    assert speakers["In the piece"] == "Jane Walsh"
    assert speakers["Has the cand"] == "Jane Walsh"


def test_a_quote_stays_with_its_speaker_when_the_next_speaker_is_named_before_their_quote():
    quotes = next(
        extract_many(
            [
                "“This is the moment they said would never happen,” Tom Becker said on Monday. "
                "“They told me we had no chance.” His campaign manager, Alex Conant, struck a "
                "similar tune. “This is a big night for us,” Conant said.\n"
            ],
            without={"model"},
        )
    )
    second = next(q for q in quotes if q.text.startswith("They told me"))
    assert second.speaker == "Tom Becker"


def test_a_quote_after_a_tail_cued_one_is_that_speakers_not_the_next_quotes():
    quotes = next(
        extract_many(
            [
                "“He’s a new dad,” his brother said. “A dad for the second time now.” Others "
                "paid tribute online. “He taught me everything,” his colleague wrote.\n"
            ],
            without={"model"},
        )
    )
    second = next(q for q in quotes if q.text.startswith("A dad"))
    assert second.speaker_mention == "his brother"


def test_words_ending_in_a_colon_after_a_quote_introduce_the_next_paragraph():
    quotes = next(
        extract_many(
            [
                "“This is what I’m up against,” Mayor John Smith said. She went on to say:\n\n"
                "“None of them will come out and support the plan.”\n"
            ],
            without={"model"},
        )
    )
    last = next(q for q in quotes if q.text.startswith("None of them"))
    assert last.extra["via"] == "after-colon" and last.speaker_mention == "She"


def test_a_quote_ending_in_an_acronym_ends_its_sentence():
    quotes = next(
        extract_many(
            [
                "In October the state director, Mike Rubino, wrote in an email: “We want to use "
                "this ASAP.” Steve Adler, the firm's owner, said the campaign had not followed up."
                "\n"
            ],
            without={"model"},
        )
    )
    asap = next(q for q in quotes if q.text.startswith("We want"))
    assert asap.speaker == "Mike Rubino"


def test_a_quoted_word_inside_a_reported_claim_is_the_claims_speakers():
    text = (
        "Jeff Weaver runs the campaign.\n\n"
        "The campaign is paying “dozens” of canvassers to go door to door, according to "
        "campaign manager Jeff Weaver.\n"
    )
    on = {q.text: q.speaker for q in extract(text, without=["model"])}
    off = {q.text: q.speaker for q in extract(text, without=["model", "in-claim"])}
    assert on["dozens"] == "Jeff Weaver"
    assert off.get("dozens") is None


def test_a_partial_quote_after_a_speakers_tail_cued_quote_is_theirs():
    text = (
        "Donald Trump spoke on Monday.\n\n"
        "“He is supposed to be a cheerleader for this country,” Trump said. Instead, “he just "
        "acts like a defeated man.”\n"
    )
    on = {q.text: q.speaker for q in extract(text, without=["model"])}
    off = {q.text: q.speaker for q in extract(text, without=["model", "same-voice", "chooser"])}
    assert on["he just acts like a defeated man."] == "Donald Trump"
    assert off.get("he just acts like a defeated man.") is None


def test_a_partial_quote_after_its_speakers_quote_behind_an_it_is_theirs():
    # 'It's' names no one else who could have spoken between
    text = (
        "Ann Reynolds runs the station.\n\n"
        "“It is ambush journalism,” Reynolds says. It is “this new in-your-face journalism.”\n"
    )
    on = {q.text: q.speaker for q in extract(text, without=["model"])}
    assert on["this new in-your-face journalism."] == "Ann Reynolds"
