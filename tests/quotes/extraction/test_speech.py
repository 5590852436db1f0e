"""Speech verbs: which words are cues, where, and the paragraphs parsed for them."""

import pytest

from apps.quotes.extraction import extract
from apps.quotes.extraction.cues import find_cues
from apps.quotes.extraction.speech import SPEECH_HINT, after_quote


def speaker_of(text, words):
    found = [q for q in extract(text) if q.text == words]
    assert found, f"no quote {words!r} in {[q.text for q in extract(text)]}"
    return found[0].speaker


def cue_words(art):
    return [c.text for c in find_cues(art).cues]


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # say verbs (Levin 37.7)
        (
            "Senator Jane Roe left the hearing early.\n"
            "“I will not run again,” she confided to reporters.\n",
            "I will not run again,",
            "Jane Roe",
        ),
        # manner of speaking (37.3), a cue only after a quote
        (
            "The coach was furious after the loss.\n“Get back on the field,” Oliver barked.\n",
            "Get back on the field,",
            "Oliver",
        ),
        # manner of speaking (37.3), a cue anywhere
        (
            "Jane Roe met the board.\n“This is the wrong time,” she whispered.\n",
            "This is the wrong time,",
            "Jane Roe",
        ),
        # complaining (37.8), the verb before its subject
        (
            "The market closed early.\n“Nobody told us anything,” grumbled Tom Hale, a farmer.\n",
            "Nobody told us anything,",
            "Tom Hale",
        ),
        # responding, with the quote after a comma
        (
            "The refugee agency published its figures on Monday.\n"
            "Filippa Grand, the agency's high commissioner, reacted skeptically to the deal, "
            "“I am concerned about any agreement that involves blanket returns.”\n",
            "I am concerned about any agreement that involves blanket returns.",
            "Filippa Grand",
        ),
        # complaining (37.8): venting
        (
            "Carla Fenwick ran the company for six years.\n"
            "Flying home one night, she vented to her husband that the merger would be “a fight "
            "from start to finish.”\n",
            "a fight from start to finish.",
            "Carla Fenwick",
        ),
        # advising (37.9), in British spelling
        (
            "Jane Roe met the board.\n“Wait for the audit,” she counselled.\n",
            "Wait for the audit,",
            "Jane Roe",
        ),
        # conjecture as reporting (29.5)
        (
            "Mayor Tom Reyes toured the flooded streets on Monday.\n"
            "“We will rebuild every house by spring,” he surmised.\n",
            "We will rebuild every house by spring,",
            "Tom Reyes",
        ),
        # news style guides' reporting verbs, the quote split around the cue
        (
            "Sara Lind took the floor.\n"
            "“The way I see it,” she elaborated, “the plan has no money behind it.”\n",
            "The way I see it,",
            "Sara Lind",
        ),
        # judging (Levin 33): the words blamed are the judge's
        (
            "Governor Tom Reyes spoke after the shooting.\n"
            "Reyes blamed the attacks on “sick people with guns” and called for a review.\n",
            "sick people with guns",
            "Tom Reyes",
        ),
        # advising (37.9): a recommendation quoted is the adviser's
        (
            "The Ecofiscal Commission published its review of the carbon tax.\n"
            "“Keep the tax in place at the current level,” it recommended.\n",
            "Keep the tax in place at the current level,",
            "Ecofiscal Commission",
        ),
        # portraying someone as something (Levin 29.2): the speaker's words for them
        (
            "Senator Ana Ruiz spoke before her father on Thursday.\n"
            "Ruiz portrayed him as a generous man who would be “the people’s champion.”\n",
            "the people’s champion.",
            "Ana Ruiz",
        ),
        # a verb of speech only after a quote, or where it reports a clause
        (
            "Mike Dolan spoke on Monday.\n"
            "Jindal signed an order, while Dolan proposed we “wake up and smell the coffee” and "
            "said the speaker should resign.\n",
            "wake up and smell the coffee",
            "Mike Dolan",
        ),
        # a riff, after a quote
        (
            "Mike Dolan showed the crowd a clip.\n"
            "“Let me help you out: the answer is no,” the nominee riffed, to laughter.\n",
            "Let me help you out: the answer is no,",
            "Mike Dolan",
        ),
        # verb and particle: cutting in
        (
            "Senator Ana Ruiz met Tom Hale.\n“That is not what the audit says,” Ruiz cut in.\n",
            "That is not what the audit says,",
            "Ana Ruiz",
        ),
        # verb and particle
        (
            "Ana Ruiz met the board.\n“We should wait,” Ana Ruiz chimed in.\n",
            "We should wait,",
            "Ana Ruiz",
        ),
    ],
)
def test_a_verb_of_speech_after_a_quote_gives_it_its_speaker(text, words, speaker):
    assert speaker_of(text, words) == speaker


def test_cried_is_a_cue_after_a_quote_and_not_at_a_funeral(parsed):
    text = "Tom Hale spoke on Monday.\n“I am innocent,” he cried.\n"
    assert speaker_of(text, "I am innocent,") == "Tom Hale"
    assert "cried" in cue_words(parsed(text))
    assert "cried" in cue_words(parsed("The court rose.\n“I am innocent,” cried Jane Roe.\n"))
    for text in (
        "Jane Roe spoke on Monday. She cried at the funeral of her father.\n",
        "Jane Roe spoke on Monday.\n“I am innocent.” She cried for an hour.\n",
    ):
        assert "cried" not in cue_words(parsed(text))


def test_revealed_is_a_cue_for_a_person_and_not_for_the_data(parsed):
    text = "The talks ended late.\n“I will run again,” Ana Ruiz revealed on Tuesday.\n"
    assert speaker_of(text, "I will run again,") == "Ana Ruiz"
    claim = [q for q in extract("Officials met.\nTom Hale revealed that he had sold the shares.\n")]
    assert [(q.text, q.speaker) for q in claim] == [("he had sold the shares", "Tom Hale")]
    # a quote near 'the data revealed' is credited neither to the data nor to the last speaker
    text = "Senator Jane Roe spoke first.\nThe data revealed a “gap” in funding.\n"
    assert "revealed" not in cue_words(parsed(text))
    assert all(q.speaker is None for q in extract(text))


def test_after_quote_is_the_verb_right_after_a_closing_mark(parsed):
    def verb(text, word):
        art = parsed(text)
        return next(t for u in art.units for t in u.doc if t.text == word)

    assert after_quote(verb("“We lost,” Ana Ruiz sighed.\n", "sighed"))
    assert after_quote(verb("“We lost!” sighed the coach.\n", "sighed"))
    assert after_quote(verb('"We lost", she sighed.\n', "sighed"))
    assert not after_quote(verb("“We lost.” She sighed and left.\n", "sighed"))
    assert not after_quote(verb("She sighed at the “news” of the day.\n", "sighed"))
    assert not after_quote(verb("“We lost,” she said, and sighed.\n", "sighed"))


def test_a_paragraph_whose_only_cue_is_a_new_verb_is_parsed():
    for form in ("rebutted", "concurred", "counselled", "speculated", "whispered"):
        assert SPEECH_HINT.search(f"Tom Hale {form} that the bill would fail.")
    text = "Officials met in Geneva.\nTom Hale speculated that the bill would fail in the Senate.\n"
    claims = [q for q in extract(text) if q.kind == "indirect"]
    assert [(q.text, q.speaker) for q in claims] == [
        ("the bill would fail in the Senate", "Tom Hale")
    ]


def test_referencing_a_term_frames_it(parsed):
    art = parsed("She also referenced the “gun show loophole,” a flaw in the background checks.\n")
    assert "referenced" in cue_words(art)


def test_a_descriptor_read_off_the_text_ends_before_a_preposition():
    from apps.quotes.extraction.speech import LEXICAL_TAIL

    def who(tail):
        m = LEXICAL_TAIL.match(tail)
        return m and (m.group("who") or m.group("who2"))

    assert who(", said the senator on Monday.") == "the senator"
    assert who(", the top aide said.") == "the top aide"
    assert who(" blared the front page of The Evening Star.") is None


def test_pressed_and_started_are_cues_after_a_quote_only(parsed):
    text = "The anchor asked about the wall.\n“Would it be negotiable?” Hannity pressed.\n"
    assert speaker_of(text, "Would it be negotiable?") == "Hannity"
    text = "Kerr took the stage.\n“Look,” Kerr started, “we will see.”\n"
    assert speaker_of(text, "Look,") == "Kerr"
    assert "pressed" not in cue_words(parsed("Jane Roe pressed the button and left.\n"))


def test_determined_and_estimates_report_a_clause_and_are_no_cue_otherwise(parsed):
    art = parsed(
        "In May, Judge Ana Ruiz determined that the agency had shown “bad faith.” The council "
        "estimates that the repairs will cost “well over a million.” She was determined to win "
        "the “big prize” this year, and estimated costs rose.\n"
    )
    assert cue_words(art) == ["determined", "estimates"]
