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


def test_a_cue_setting_the_scene_gives_way_to_the_verb_that_carries_the_quote(parsed):
    art = parsed(
        "Ruiz said that when Okafor complained about the budget last year, “she was speaking "
        "for the whole council.”\n"
    )
    frame = frames(art)["she was speaking for the whole council."]
    assert (frame.how, frame.cue.text) == ("head", "said")


def test_a_cue_describing_a_noun_gives_way_to_the_main_clause(parsed):
    art = parsed(
        "Ruiz told the council members, who had asked for a review in March, “We will wait "
        "for the auditors.”\n"
    )
    frame = frames(art)["We will wait for the auditors."]
    assert frame.cue.text == "told"


def test_a_relative_clause_leading_into_the_quote_frames_it(parsed):
    art = parsed("“Go to the refuge,” Ruiz says to Okafor, who answers at once: “Okay!”\n")
    frame = frames(art)["Okay!"]
    assert frame.cue.text == "answers"


def test_a_word_named_in_a_relative_clause_is_its_subjects_not_the_next_speakers(parsed):
    art = parsed(
        "In an interview that Judge Ana Ruiz called “reckless,” Kemp repeated his wish to "
        "leave the state.\n"
    )
    frame = frames(art)["reckless,"]
    assert (frame.how, frame.cue.text) == ("governs", "called")


def test_what_someone_called_it_is_theirs(parsed):
    art = parsed(
        "Under what Ms. Okafor called “the cheap-fares plan,” the line’s manager said, the "
        "fares fell.\n"
    )
    assert frames(art)["the cheap-fares plan,"].cue.text == "called"


def test_no_tail_is_read_off_the_text_for_a_verb_whose_subject_comes_before_the_quote(parsed):
    art = parsed(
        "Roffman, who estimates that his legal costs were “in the seven figures,” described "
        "the emotional impact as grave.\n"
    )
    frame = frames(art)["in the seven figures,"]
    # 'estimates' reports the clause: its mention is 'who', standing for Roffman
    mention = frame and art.text[frame.cue.mention[0] : frame.cue.mention[1]]
    assert frame is None or (mention in {"Roffman", "who"} and frame.cue.name == "Roffman")


def test_a_clause_of_its_own_joined_to_a_reported_one_is_the_reporters(parsed):
    art = parsed(
        "Okafor noted that city officials have long been talking with state and county "
        "officials about the floods, and “we’re in discussions about building a second levee” "
        "this year.\n"
    )
    frame = frames(art)["we’re in discussions about building a second levee"]
    assert frame.cue.text == "noted"


def test_speech_someone_says_ought_to_be_made_is_not_what_frames_the_quote(parsed):
    art = parsed(
        "Mayor Okafor rebuked critics who say she should describe the strike as “a crime,” "
        "arguing the label helps no one.\n"
    )
    assert frames(art)["a crime,"].cue.text == "say"


def test_a_report_set_into_the_sentence_frames_its_quoted_words(parsed):
    # 'she said' hangs on the sentence as an aside (parataxis), the only cue in it
    art = parsed(
        "Those who take on “heavy debt” struggle, even with a job, she said, rather than thrive.\n"
    )
    frame = frames(art)["heavy debt"]
    assert frame is not None and frame.cue.text == "said"


def test_of_two_cues_before_the_quote_the_one_whose_clause_holds_it_frames_it(parsed):
    # the tweet's 'saying' reports a clause of its own; the quoted words are what the tweet
    # meant, in the clause Okafor's 'said' reports
    art = parsed(
        "Okafor said the mayor's tweet saying residents will back him because of the flood "
        "meant that “if people want safer streets, they should vote for the mayor.”\n"
    )
    frame = frames(art)["if people want safer streets, they should vote for the mayor."]
    assert (frame.how, frame.cue.text) == ("head", "said")


def test_a_he_speaking_in_a_clause_a_person_reports_is_that_report(parsed):
    art = parsed(
        "The veteran councillor said he rarely asks colleagues to campaign for him, “except "
        "for people I trust.”\n"
    )
    frame = frames(art)["except for people I trust."]
    assert (frame.how, frame.cue.text) == ("head", "said")


def test_a_he_in_a_clause_people_report_may_be_someone_else(parsed):
    art = parsed("Police sources have said he shouted “no more delays” at the officers.\n")
    assert frames(art)["no more delays"].cue.text == "shouted"


def test_a_naming_in_a_relative_clause_is_the_pronouns_own(parsed):
    art = parsed(
        "Mayor Okafor said the marchers, whom she described as “peaceful,” walked for hours.\n"
    )
    assert frames(art)["peaceful,"].cue.text == "described"


def test_a_role_word_the_parser_took_for_a_verb_between_quote_and_name(parsed):
    art = parsed(
        "The tweet drew anger.\n\n“I am impressed by his ability to insult every kind of "
        "human being,” screenwriter Cole Haddon wrote on Twitter.\n"
    )
    (frame,) = frames(art).values()
    assert (frame.how, frame.cue.name) == ("tail", "Cole Haddon")


def test_words_that_are_no_role_between_quote_and_cue_stop_the_tail(parsed):
    art = parsed("The tweet drew anger.\n\n“We lost,” shouted as Ruiz left, Tom Hale said.\n")
    assert all(f is None or f.how != "tail" for f in frames(art).values())
