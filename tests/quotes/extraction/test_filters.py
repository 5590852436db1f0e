"""Scare quotes, titles and labels lose their speaker; the filter stage can be switched off."""

from apps.quotes.extraction import extract


def quote(text, words, **kwargs):
    found = [q for q in extract(text, **kwargs) if q.text == words]
    return found[0] if found else None


TEXT = "Ruiz told “Good Morning America” that the plan would work within a year.\n"


def test_a_title_case_partial_quote_is_a_title():
    assert quote(TEXT, "Good Morning America") is None


def test_a_label_before_a_name_is_nobodys_words():
    text = "The talks with “interim president” Juan Guaido went on, Pompeo said.\n"
    found = quote(text, "interim president")
    assert found is None or found.speaker is None


def test_without_the_filters_the_title_keeps_the_cue():
    kept = quote(TEXT, "Good Morning America", without=["filters"])
    assert kept is not None and kept.speaker == "Ruiz"


def test_a_word_a_naming_verb_gives_is_the_speakers_not_a_title():
    text = "Jane Roe spoke on Monday.\nRoe called the governor a “Liar” in a speech.\n"
    found = quote(text, "Liar")
    assert found is not None and found.speaker == "Jane Roe"


def test_short_quotes_a_framing_verb_governs_keep_their_speaker():
    text = (
        "Senator Jane Roe spoke on Monday.\n"
        "The senator insists the deal was “reckless” and “shameful.”\n"
    )
    assert quote(text, "reckless").speaker == "Jane Roe"
    assert quote(text, "shameful.").speaker == "Jane Roe"


def test_the_filters_withhold_a_speaker_with_their_reason_for_the_decision():
    from apps.quotes.extraction.engine import extract_many

    text = "Ruiz denied the “Russian trace” allegations on Monday.\n"
    (found,) = [
        q
        for q in next(extract_many([text], without={"model"}, keep_withheld=True))
        if q.text == "Russian trace"
    ]
    assert found.speaker is None
    assert found.extra["scare"] == "modifier"
    assert found.extra["withheld"]["speaker"] == "Ruiz"
    # what the engine returns without the model: the scare quote is nobody's, and not listed
    assert quote(text, "Russian trace", without=["model"]) is None


def test_words_that_end_a_clause_are_no_modifier():
    text = "Former governor Jeb Bush called the use of executive orders “quite dangerous.”\n"
    found = quote(text, "quite dangerous.", without=["model"])
    assert found is not None and found.speaker == "Jeb Bush"


def test_words_before_the_noun_they_modify_are_a_modifier():
    text = "Pompeo dismissed the “Russian trace” allegations on Monday.\n"
    found = quote(text, "Russian trace", without=["model"])
    assert found is None or found.speaker is None


def test_a_modifier_in_the_clause_a_speaker_reports_is_the_speakers():
    # quotation marks inside reported speech mark the speaker's own words, not the writer's
    text = "Senator Claire McCaskill said the race had made Sanders a “stronger” candidate.\n"
    found = quote(text, "stronger", without=["model"])
    assert found is not None and found.speaker == "Claire McCaskill"


def test_what_a_speaker_called_a_thing_is_theirs():
    text = (
        "Barack Obama spoke in Philadelphia on Wednesday.\n\n"
        "Obama denounced what he called the “deeply pessimistic” vision of the convention.\n"
    )
    found = quote(text, "deeply pessimistic", without=["model"])
    assert found is not None and found.speaker == "Barack Obama"


def test_words_the_article_repeats_as_its_own_are_nobodys():
    text = (
        "Lavrov Meets Pompeo.\n\n"
        "The talks were overshadowed by “election meddling” charges.\n\n"
        "Lavrov said the “election meddling” charges were an invention.\n"
    )
    said = [q for q in extract(text, without=["model"]) if q.text == "election meddling"]
    assert all(q.speaker is None for q in said)


def test_a_headline_echoing_a_quote_leaves_it_its_speaker():
    text = (
        "Blumenthal Has “No Doubt” About Server.\n\n"
        "Adviser Sidney Blumenthal said he had “no doubt” about the server.\n"
    )
    found = quote(text, "no doubt", without=["model"])
    assert found is not None and found.speaker == "Sidney Blumenthal"


def test_the_name_a_speaker_gives_is_theirs_though_the_parser_makes_it_a_modifier():
    text = (
        "Marco Rubio spoke first.\n\n"
        "Within minutes, Donald Trump called him “Little Marco” multiple times.\n"
    )
    found = quote(text, "Little Marco", without=["model"])
    assert found is not None and found.speaker == "Donald Trump"


def test_a_capitalised_word_said_after_a_comma_is_speech_not_a_title():
    text = "Asked whether she would run again, Jane Walsh shook her head and said, “No.”\n"
    found = quote(text, "No.", without=["model"])
    assert found is not None and found.speaker == "Jane Walsh"


def test_a_modifier_in_a_clause_hung_on_the_reported_one_is_the_speakers():
    text = (
        "Senator Ann Kerr says he is prepared for a fight at the convention if the party does "
        "not take more “progressive” stances on trade.\n"
    )
    found = quote(text, "progressive", without=["model"])
    assert found is not None and found.speaker == "Ann Kerr"


def test_a_modifier_in_what_someone_was_asked_to_confirm_is_not_theirs():
    text = (
        "When asked to confirm Ridley’s part in the “secret” email chains, an official "
        "declined to comment.\n"
    )
    found = quote(text, "secret", without=["model"])
    assert found is None or found.speaker is None


def test_what_a_speaker_says_a_thing_is_or_warns_of_is_theirs_though_it_modifies_a_noun():
    for text, words, speaker in (
        (
            "The union rejected the offer as “insulting” because pay would fall.\n",
            "insulting",
            "union",
        ),
        (
            "Mayor Dan Ortiz warned of a “bruising” fight over the budget.\n",
            "bruising",
            "Dan Ortiz",
        ),
    ):
        found = quote(text, words, without=["model"])
        assert found is not None and found.speaker == speaker


def test_words_called_out_aloud_are_said_however_capitalised():
    for text, words, speaker in (
        (
            "Outside the hall, about 50 nurses gathered, holding signs and chanting “Save Our "
            "Wards.” The mayor was inside.\n",
            "Save Our Wards.",
            "about 50 nurses",
        ),
        ("The crowd shouted “Lock Him Up” as the mayor left.\n", "Lock Him Up", "The crowd"),
    ):
        found = quote(text, words, without=["model"])
        assert found is not None and found.speaker_mention == speaker
    assert quote("The choir sang “Happy Birthday” to the mayor.\n", "Happy Birthday") is None


def test_a_label_in_the_clause_a_speaker_reports_is_the_speakers_word_for_the_person():
    text = "Senator Ted Ortiz says his “friend and colleague” Mark Ruiz ran a fine race.\n"
    found = quote(text, "friend and colleague", without=["model"])
    assert found is not None and found.speaker == "Ted Ortiz"


def test_words_of_their_own_a_speaker_reports_are_theirs_though_the_article_repeats_them():
    text = (
        "Ruiz Memos Released.\n\n"
        "Some memos were “top secret,” and all were kept.\n\n"
        "The ministry has said that it classified nine memos as “top secret” last year.\n"
    )
    said = [q for q in extract(text, without=["model"]) if q.text == "top secret"]
    assert [q.speaker_mention for q in said] == ["The ministry"]


def test_a_capitalised_word_a_speaker_says_a_thing_is_is_no_title():
    text = "Ortiz said at a rally that he believed the judge was “Mexican.”\n"
    found = quote(text, "Mexican.", without=["model"])
    assert found is not None and found.speaker == "Ortiz"
    text = "Ortiz said at a rally that he had watched “Game of Thrones.”\n"
    found = quote(text, "Game of Thrones.", without=["model"])
    assert found is None or found.speaker is None


def test_what_a_speaker_calls_a_thing_after_as_is_no_title_however_capitalised():
    text = "Ortiz described the plan as “Dead On Arrival” on Monday.\n"
    found = quote(text, "Dead On Arrival", without=["model"])
    assert found is not None and found.speaker == "Ortiz"
    text = "“We wish him well,” Ortiz told the hosts of “Morning Joe,” on Monday.\n"
    found = quote(text, "Morning Joe,", without=["model"])
    assert found is None or found.speaker is None
