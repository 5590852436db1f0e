"""The extraction engine on short texts of our own, one pattern each (no database)."""

import time

import pytest

from apps.quotes.extraction import SpeakerHint, extract
from apps.quotes.extraction.names import normalise_name

LAVROV = SpeakerHint(
    "Sergey Lavrov", aliases=("Sergei Lavrov", "Lavrov"), role="Russian Foreign Minister"
)


def only(quotes, text):
    found = [q for q in quotes if q.text == text]
    assert found, f"no quote {text!r} in {[q.text for q in quotes]}"
    return found[0]


def test_quote_then_said_name():
    text = "The talks ended late.\n“We made progress on trade,” Lavrov said.\n"
    quote = only(extract(text), "We made progress on trade,")
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "Lavrov", "said")
    assert text[quote.speaker_start : quote.speaker_end] == "Lavrov"
    assert text[quote.start : quote.end] == quote.text


def test_said_name_inverted_and_straight_quotes():
    text = 'Officials met in Geneva.\n"There is no deal yet," said Maria Lopez, a spokeswoman.\n'
    quote = only(extract(text), "There is no deal yet,")
    assert quote.speaker == "Maria Lopez"


def test_colon_introduces_a_full_sentence():
    text = "Asked about progress, Arbatov said: “So far, this is a declarative undertaking.”\n"
    quote = only(extract(text), "So far, this is a declarative undertaking.")
    assert (quote.kind, quote.speaker) == ("direct", "Arbatov")


def test_partial_quote_inside_reported_speech():
    text = (
        "Sergey Lavrov met Mike Pompeo on Tuesday.\n"
        "Lavrov said their joint work was “hindered by the wave of suspicions” in Washington.\n"
    )
    quote = only(extract(text), "hindered by the wave of suspicions")
    assert (quote.kind, quote.speaker) == ("partial", "Sergey Lavrov")


def test_indirect_claim_without_quote_marks():
    text = "Sergey Lavrov visited Washington.\nLavrov argued that sanctions do no benefit anyone.\n"
    quote = only(extract(text), "sanctions do no benefit anyone")
    assert (quote.kind, quote.speaker, quote.cue) == ("indirect", "Sergey Lavrov", "argued")


def test_pronoun_resolves_to_the_last_speaker():
    text = (
        "Mike Pompeo spoke first. Then Sergey Lavrov said the two men met often.\n"
        "“It is useful to talk to each other,” he said.\n"
    )
    quote = only(extract(text), "It is useful to talk to each other,")
    assert quote.speaker == "Sergey Lavrov"
    assert quote.speaker_mention == "he"


def test_role_descriptor_resolves_to_the_person_introduced_with_it():
    text = (
        "Russian Foreign Minister Sergey Lavrov met US Secretary of State Mike Pompeo.\n"
        "Pompeo said the talks were candid.\n"
        "“We agreed to keep talking,” the Russian Foreign Minister noted.\n"
    )
    quote = only(extract(text, speakers=[LAVROV]), "We agreed to keep talking,")
    assert quote.speaker == "Sergey Lavrov"
    assert quote.speaker_mention == "the Russian Foreign Minister"


def test_quote_without_cue_inherits_from_the_quote_before():
    text = "“It is useful to talk,” Lavrov said. “Always better than not talking.”\n"
    quote = only(extract(text), "Always better than not talking.")
    assert quote.speaker == "Lavrov"


def test_missing_opening_mark_quote_runs_from_paragraph_start():
    text = (
        "Pompeo spoke after the meeting.\n"
        "I reiterated that Crimea belongs to Ukraine and that peace begins with the Minsk "
        "agreements,” Pompeo said.\n"
    )
    quote = only(
        extract(text),
        "I reiterated that Crimea belongs to Ukraine and that peace begins with the Minsk "
        "agreements,",
    )
    assert (quote.kind, quote.speaker) == ("direct", "Pompeo")


def test_misplaced_marks_inside_a_translated_passage_stay_one_quote():
    text = (
        "“I never thought I would answer such questions.” President Trump spoke publicly "
        "about it, I have enough of his statements, “Lavrov said.\n"
        "The next paragraph is narration with a “scare quote” in it.\n"
    )
    quotes = extract(text)
    quote = quotes[0]
    assert quote.text.startswith("I never thought") and quote.text.endswith("statements,")
    assert quote.speaker == "Lavrov"
    assert all(q.speaker != "Donald Trump" and q.speaker != "Trump" for q in quotes)


def test_a_quote_within_a_quote_in_the_same_curly_marks_stays_inside_it():
    text = (
        "Jeff Becker, who chairs a rival PAC, tweeted: “People behind the mayor wearing "
        "“Settle For Jones” shirts at her event… ouch.”\n"
    )
    (quote,) = extract(text)
    assert (
        quote.text
        == "People behind the mayor wearing “Settle For Jones” shirts at her event… ouch."
    )
    assert quote.speaker == "Jeff Becker"


def test_a_quote_within_a_quote_in_straight_marks_stays_inside_it():
    text = (
        'On Sunday, Mayor Jones tweeted, "Reports say the driver shouted "Get out!" as he '
        'drove off." Her office later deleted it.\n'
    )
    (quote,) = extract(text)
    assert quote.text == 'Reports say the driver shouted "Get out!" as he drove off.'
    assert quote.speaker == "Jones"


def test_two_questions_with_an_unlisted_verb_between_them_are_not_merged():
    text = (
        "Trump said the wall is not negotiable.\n"
        "“Would it be negotiable?” Hannity pressed. “Maybe let some people stay?”\n"
        "“I would say this,” Trump answered.\n"
    )
    quotes = extract(text)
    assert only(quotes, "Would it be negotiable?").speaker == "Hannity"
    assert only(quotes, "Maybe let some people stay?").speaker == "Hannity"


def test_one_broken_mark_does_not_derail_the_rest():
    text = (
        "He called it “a disaster for everyone.\n"
        "Officials met again on Friday.\n"
        "“We will meet again in June,” Maria Lopez said.\n"
    )
    quote = only(extract(text), "We will meet again in June,")
    assert quote.speaker == "Maria Lopez"


def test_quote_over_several_paragraphs():
    text = (
        "Maria Lopez spoke at length.\n"
        "“The first part of the plan is about roads and bridges across the region.\n"
        "“The second part is about schools,” she said.\n"
    )
    quotes = extract(text)
    first = only(quotes, "The first part of the plan is about roads and bridges across the region.")
    second = only(quotes, "The second part is about schools,")
    assert first.speaker == second.speaker == "Maria Lopez"


def test_name_inside_the_quote_is_never_the_speaker():
    text = (
        "Sergey Lavrov spoke to reporters.\n"
        "“But as the Bible said, at first there was a word, and President Trump agrees,” "
        "Lavrov said.\n"
    )
    quote = extract(text)[0]
    assert quote.speaker == "Sergey Lavrov"


def test_scare_quotes_and_titles_are_not_attributed():
    text = (
        "Lavrov and Pompeo Meet in Washington\n"
        "Officials spent the day in talks. The media focused on “election meddling” again.\n"
        "Lavrov said the accusations of “election meddling” were never proven.\n"
        "On Fox’s “Hannity,” Newt Gingrich said the ticket would be bold.\n"
    )
    attributed = {q.text for q in extract(text) if q.speaker and q.kind != "indirect"}
    assert not any("election meddling" in t or "Hannity" in t for t in attributed)
    # Lavrov's claim holds the words, but the words themselves are nobody's
    claims = [q for q in extract(text) if q.kind == "indirect"]
    assert [q.speaker for q in claims if "never proven" in q.text] == ["Lavrov"]


def test_organisations_speak_too():
    text = "“Arms control will be high on the agenda,” the State Department said in a statement.\n"
    quote = extract(text)[0]
    assert quote.speaker == "State Department"
    assert quote.speaker_mention == "the State Department"


def test_single_quotes_in_headlines_and_apostrophes():
    text = "Russia’s Lavrov Visits DC—Media Focuses On ‘Election Meddling’\n\nBody text here.\n"
    quotes = extract(text)
    assert all("Russia" not in q.text for q in quotes)
    assert all(q.speaker is None for q in quotes)


def test_boilerplate_yields_no_quotes():
    text = (
        "Also on rt.com Lavrov says “trade INCREASED” despite sanctions\n"
        "Like this story? Share it with a friend!\n"
        "Leave a Reply\n"
        "Rate post:\n"
        "1 Star2 Stars3 Stars4 Stars5 Stars (No Ratings Yet)\n"
    )
    assert extract(text) == []


def test_name_variants_share_one_key():
    assert normalise_name("Sergei Lavrov") == normalise_name("Sergey Lavrov")
    assert normalise_name("Yuri Ushakov") == normalise_name("Yury Ushakov")
    assert normalise_name("Alexey Arbatov") == normalise_name("Alexei Arbatov")
    assert normalise_name("Andrey Sidorov") == normalise_name("Andrei Sidorov")


def test_known_speaker_variant_resolves_to_its_canonical_name():
    text = "Russian Foreign Minister Sergei Lavrov arrived.\n“We are ready,” Lavrov said.\n"
    quote = extract(text, speakers=[LAVROV])[0]
    assert quote.speaker == "Sergey Lavrov"


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\x00\x01"])
def test_empty_and_junk_text_give_no_quotes(text):
    assert extract(text) == []


def test_bytes_are_refused_with_a_clear_error():
    with pytest.raises(TypeError, match="decode"):
        extract(b"not text")


def test_huge_paragraph_and_runs_of_quote_marks_stay_linear():
    started = time.perf_counter()
    assert isinstance(extract("“" * 10_000), list)
    assert isinstance(extract('"' * 10_000 + " said Lavrov."), list)
    small = time.perf_counter() - started
    big = ("word " * 1_000_000)[:5_000_000]  # 5 MB, no line breaks, no quotes, no cues
    started = time.perf_counter()
    assert extract(big) == []
    assert time.perf_counter() - started < 300 + small


def test_paragraphs_parsed_for_names_only_do_not_crash():
    """Regression: a real article whose names sit in paragraphs without speech once crashed
    spaCy (reading the dependency tree of a names-only parse)."""
    from tests.conftest import POLNEAR

    path = POLNEAR / "train" / "text" / "huff-post_2016-02-03_huffpollster-a-seismic-shift-amo.txt"
    if not path.exists():
        pytest.skip("the PolNeAR corpus is not beside this checkout")
    text = path.read_text(encoding="utf-8")
    assert all(text[q.start : q.end] == q.text for q in extract(text))


def test_partial_quotes_governed_by_one_speech_verb():
    text = "Mayor Jane Okafor tweeted that the plan was a “disaster,” a “scam” and a “fraud.”\n"
    quotes = extract(text)
    for words in ("disaster,", "scam", "fraud."):
        quote = only(quotes, words)
        assert (quote.kind, quote.speaker) == ("partial", "Jane Okafor")


def test_second_sentence_after_he_said_points_at_the_same_mention():
    text = (
        "Tom Reyes runs the port.\n"
        "“We can always have differences,” he said. “If we agree on most things, that is a lot.”\n"
    )
    quote = only(extract(text), "If we agree on most things, that is a lot.")
    assert quote.speaker == "Tom Reyes"
    assert text[quote.speaker_start : quote.speaker_end] == "he"


def test_a_clause_ending_in_a_colon_introduces_the_quote():
    text = (
        "Senator Ana Ruiz spoke last.\n"
        "She then addressed the supporters again: “Here is what I regret. Nobody listened.”\n"
    )
    quote = only(extract(text), "Here is what I regret. Nobody listened.")
    assert quote.speaker == "Ana Ruiz"
    assert text[quote.speaker_start : quote.speaker_end] == "She"


def test_titles_and_labels_are_not_claims():
    text = (
        "Pompeo asked Lavrov to support “interim president” Juan Guaido.\n"
        "Speaking on “Good Morning America,” Ruiz said the vote was close.\n"
        "The minister was asked about the “exit strategy” from Syria.\n"
    )
    quotes = extract(text)
    for words in ("interim president", "Good Morning America,", "exit strategy"):
        assert not [q for q in quotes if q.text == words and q.speaker], words


def test_comma_closed_quotes_with_a_new_verb_between_are_not_merged():
    text = "“You know, it happens, right?” Trump went on. “But you have to get over it.”\n"
    quotes = extract(text)
    assert only(quotes, "You know, it happens, right?").speaker == "Trump"
    assert only(quotes, "But you have to get over it.").speaker == "Trump"


def test_partial_quotes_chained_in_one_sentence_share_the_cue():
    text = (
        "According to Lavrov, relations “are not encouraging,” and the causes of this crisis "
        "are “well known” to everyone.\n"
    )
    assert only(extract(text), "well known").speaker == "Lavrov"


def test_he_means_the_last_subject_when_it_is_newer_than_the_last_speaker():
    text = (
        "“The port will reopen,” Governor Tom Reyes said.\n"
        "Later, Mayor Jane Okafor visited the docks with her staff. She called the repairs a "
        "“first step” toward recovery.\n"
    )
    assert only(extract(text), "first step").speaker == "Jane Okafor"


def test_he_after_the_author_of_statements_means_that_author():
    text = (
        "Senator Ana Ruiz met Mayor Tom Reyes on Monday.\n"
        "Fears were raised by statements by Senator Ana Ruiz. In an interview, she called the "
        "plan “a difficult topic”.\n"
        "Reyes said the port was ready.\n"
    )
    assert only(extract(text), "a difficult topic").speaker == "Ana Ruiz"


def test_a_statement_speaks_for_its_author_and_short_names_join_the_long_one():
    text = (
        "The US State Department said in a statement that talks would resume.\n"
        "The State Department statement also said that “the talks will be candid.”\n"
        "Later the US said it would “find ways to cooperate.”\n"
    )
    quotes = extract(text)
    for words in ("the talks will be candid.", "find ways to cooperate."):
        assert only(quotes, words).speaker == "US State Department"


def test_things_are_not_speakers_of_claims():
    text = (
        "Senator Ana Ruiz spoke on Monday.\n"
        "The results show that turnout fell sharply in the north.\n"
        "The negotiations went on that the port would reopen in May.\n"
    )
    claims = [q for q in extract(text) if q.kind == "indirect"]
    assert not [q for q in claims if "turnout" in q.text or "port" in q.text]


def test_the_senator_is_a_descriptor_and_a_title_before_a_name_is_a_role():
    text = (
        "US Secretary of State Mike Pompeo talks with Sergey Lavrov\n"
        "Lavrov said the meeting was useful.\n"
        "“We urge Russia to work with us,” the US Secretary wrote on Twitter.\n"
    )
    assert only(extract(text), "We urge Russia to work with us,").speaker == "Mike Pompeo"


def test_a_name_before_a_verb_the_parser_left_without_a_subject():
    text = (
        "The ministry issued a message stating that Rex Tillerson at a meeting with his "
        "counterpart said that sanctions would stay until Moscow “changed the actions that led "
        "to it.”\n"
    )
    assert only(extract(text), "changed the actions that led to it.").speaker == "Rex Tillerson"


def test_speech_still_to_come_does_not_frame_quotes():
    text = (
        "The State Department said Mike Pompeo will discuss “the full range of challenges” "
        "with his hosts.\n"
    )
    assert only(extract(text), "the full range of challenges").speaker == "State Department"


def test_a_quote_inside_what_a_person_did_is_theirs():
    text = (
        "Senator Ana Ruiz spoke in Miami.\n"
        "Ruiz also bemoaned a climate in which voters “literally hate each other” now.\n"
    )
    assert only(extract(text), "literally hate each other").speaker == "Ana Ruiz"


def test_called_with_the_quote_shifted_before_its_object():
    text = "Mike Pompeo spoke to CNBC. He called “nonsense” reports that the deal had failed.\n"
    assert only(extract(text), "nonsense").speaker == "Mike Pompeo"


def test_a_paragraph_with_an_unusual_speech_verb_is_parsed():
    text = (
        "Officials met in Geneva.\n"
        "Professor Andrei Sidorov agrees that it is too early to talk about a breakthrough.\n"
    )
    claim = only(extract(text), "it is too early to talk about a breakthrough")
    assert claim.speaker == "Andrei Sidorov"


def test_a_quote_in_a_sentence_whose_other_clause_names_the_speaker():
    text = (
        "Mayor Tom Reyes said the port would reopen.\n"
        "While there are “serious delays,” there is still “real progress” on the docks, and he "
        "thanked the workers.\n"
    )
    quotes = extract(text)
    for words in ("serious delays,", "real progress"):
        assert only(quotes, words).speaker == "Tom Reyes"


def test_a_word_describing_the_subject_is_not_their_claim():
    text = (
        "Mayor Tom Reyes spoke on Monday.\n"
        "Reyes was “surprised” and answered with a question of his own.\n"
    )
    assert not [q for q in extract(text) if q.text == "surprised" and q.speaker]


def test_according_to_in_mid_sentence_reports_the_main_clause():
    text = (
        "For these purposes, according to Lavrov, the US Congress allocates $20 million a year.\n"
    )
    claim = only(extract(text), "the US Congress allocates $20 million a year")
    assert (claim.kind, claim.speaker) == ("indirect", "Lavrov")


def test_a_reported_clause_is_a_claim_even_when_it_holds_a_partial_quote():
    text = "Lavrov said that Russia would welcome “any US contribution” to the security zones.\n"
    quotes = extract(text)
    assert only(quotes, "any US contribution").speaker == "Lavrov"
    claim = only(quotes, "Russia would welcome “any US contribution” to the security zones")
    assert (claim.kind, claim.speaker) == ("indirect", "Lavrov")


def test_a_capital_speaks_for_its_government_office_that_spoke():
    text = (
        "The Chinese Foreign Ministry said in a statement that the visit would go ahead.\n"
        "Beijing also insisted that “no country has done more to keep the peace in the region.”\n"
        "Paris said that “the talks are welcome and overdue.”\n"
    )
    quotes = extract(text)
    assert (
        only(quotes, "no country has done more to keep the peace in the region.").speaker
        == "Chinese Foreign Ministry"
    )
    # no French office has spoken: the capital itself is the speaker
    assert only(quotes, "the talks are welcome and overdue.").speaker == "Paris"


def test_who_and_which_stand_for_the_noun_before_them():
    text = (
        "The vote was close.\n"
        "It fell to Mayor Jane Okafor, who said that the council “will not back down now.”\n"
        "Then came a letter by Tom Reyes, which repeated that the city was “broke and angry.”\n"
    )
    quotes = extract(text)
    assert only(quotes, "will not back down now.").speaker == "Jane Okafor"
    assert only(quotes, "broke and angry.").speaker == "Tom Reyes"


def test_words_reported_with_no_one_named_are_theirs_who_said_them():
    text = (
        "After the talks, it was stated that both sides “must keep talking” about the dam.\n"
        "Minister Ana Ruiz said: “We must keep talking until the water flows again.”\n"
        "It was also said that the river was “a shared treasure.”\n"
    )
    quotes = extract(text)
    echoed = only(quotes, "must keep talking")
    assert (echoed.speaker, echoed.cue, echoed.speaker_mention) == ("Ana Ruiz", "stated", None)
    # words nobody is quoted saying elsewhere stay unattributed
    assert not [q for q in quotes if q.text == "a shared treasure." and q.speaker]


def test_two_apostrophes_are_a_double_mark_as_in_newswire_archives():
    text = (
        "Obama and Netanyahu\n"
        "''This was not the guiding basis of our policy,'' Mr. Rhodes said. ''The guiding basis "
        "was to be energetic.''\n"
        "The president ''is not a Christian,'' Francis told reporters.\n"
        "Rock 'n' roll isn't quoted.\n"
    )
    quotes = extract(text)
    first = only(quotes, "This was not the guiding basis of our policy,")
    assert (first.kind, first.speaker, first.speaker_mention) == ("direct", "Rhodes", "Mr. Rhodes")
    assert only(quotes, "The guiding basis was to be energetic.").speaker == "Rhodes"
    assert only(quotes, "is not a Christian,").speaker == "Francis"
    assert all(text[q.start : q.end] == q.text for q in quotes)
    assert not [q for q in quotes if q.kind == "indirect" and "''" in q.text]


def claims(text):
    return {q.text: q.speaker for q in extract(text) if q.kind == "indirect"}


def test_a_claim_may_hold_partial_quotes_when_it_has_words_of_its_own():
    text = (
        "Mayor Jane Okafor spoke on Friday.\n"
        "She said the budget would cover new schools “within two years” and a bridge by 2030.\n"
        "Okafor said “we will deliver.”\n"
    )
    found = claims(text)
    claim = "the budget would cover new schools “within two years” and a bridge by 2030"
    assert found[claim] == "Jane Okafor"
    assert not [t for t in found if "deliver" in t]  # the quote alone is no claim of its own


def test_what_a_speaker_asks_of_someone_is_a_claim():
    text = (
        "Tom Reyes met the city council.\n"
        "Reyes urged the council to close the landfill, and asked Mayor Okafor to visit the site.\n"
    )
    found = claims(text)
    assert found["the council to close the landfill"] == "Tom Reyes"
    assert found["Mayor Okafor to visit the site"] == "Tom Reyes"


def test_the_speakers_next_act_is_not_part_of_the_reported_clause():
    text = (
        "The Health Ministry issued a statement.\n"
        "The Health Ministry said the outbreak was under control, and urged hospitals to "
        "report new cases.\n"
        "Maria Lopez said the two doctors met often and also spoke every week.\n"
    )
    found = claims(text)
    assert found["the outbreak was under control"] == "Health Ministry"
    assert found["hospitals to report new cases"] == "Health Ministry"
    assert found["the two doctors met often and also spoke every week"] == "Maria Lopez"


def test_made_it_clear_and_a_verb_inside_the_clause_it_reports():
    text = (
        "Governor Ann Lee toured the plant.\n"
        "Lee made it clear that the plant will stay open until 2030.\n"
        "The new line, which, Lee confirmed, will open in March, cost $40 million.\n"
    )
    found = claims(text)
    assert found["the plant will stay open until 2030"] == "Ann Lee"
    assert found["will open in March"] == "Ann Lee"


def test_a_speaker_the_parser_hung_on_the_phrase_before_the_verb():
    text = (
        "While the president says he will travel to Lagos, Nigeria, the Foreign Ministry noted "
        "that no date had been set.\n"
    )
    assert claims(text)["no date had been set"] == "Foreign Ministry"


def test_a_partial_quote_with_no_cue_after_a_speakers_quote_is_theirs():
    text = (
        "Mayor Jane Okafor spoke after the vote. Okafor noted that the plan “was not perfect.” "
        "The debate was long, but without any real change to the budget. The main thing is that "
        "the city is ready to “start building next spring” as planned.\n"
    )
    quote = only(extract(text), "start building next spring")
    assert (quote.speaker, quote.speaker_mention) == ("Jane Okafor", "Okafor")


def test_a_partial_quote_after_someone_else_is_named_is_not_inherited():
    text = (
        "Mayor Jane Okafor spoke after the vote. Okafor noted that the plan “was not perfect.” "
        "Tom Reyes left early. The main thing is that the city is ready to “start building "
        "next spring” as planned.\n"
    )
    quotes = extract(text)
    assert only(quotes, "was not perfect.").speaker == "Jane Okafor"
    assert not [q for q in quotes if "building" in q.text and q.speaker]


def test_a_group_speaks_for_no_one_person():
    text = (
        "Mike Pompeo spoke in Brussels. Later the leaders met in Paris.\n"
        "The leaders agreed to exchange all “prisoners held since the war began” by May.\n"
    )
    quote = only(extract(text), "prisoners held since the war began")
    assert (quote.speaker, quote.speaker_mention, quote.cue) == (None, "The leaders", "agreed")


def test_as_she_put_it_and_a_participle_hung_on_the_quotes_verb():
    text = (
        "Senator Ann Lee spoke on Monday.\n"
        "As Tom Reyes put it, “we have no money left for ads.”\n"
        "Lee seemed ready to joke about the incident, telling the crowd, “Some people get a "
        "little carried away, have you noticed that?”\n"
    )
    quotes = extract(text)
    assert only(quotes, "we have no money left for ads.").speaker == "Tom Reyes"
    carried = only(quotes, "Some people get a little carried away, have you noticed that?")
    assert (carried.speaker, carried.cue) == ("Ann Lee", "telling")


def test_a_name_set_off_by_commas_before_said_colon_is_the_speaker():
    text = (
        "In a statement to the Observer, her senior policy adviser, Jake Sullivan, said: "
        "“Clinton believes that cooperation is strongest when Europe is united.”\n"
    )
    quote = only(
        extract(text), "Clinton believes that cooperation is strongest when Europe is united."
    )
    assert quote.speaker == "Jake Sullivan"


def test_it_and_an_unknown_spokesman_are_mentions_with_no_one_person():
    text = (
        "The email was released on Friday.\n"
        "“We have identified the forces that could move to the city,” it said.\n"
        "“The review will take months,” a spokesman said.\n"
    )
    quotes = extract(text)
    email = only(quotes, "We have identified the forces that could move to the city,")
    assert (email.speaker, email.speaker_mention, email.cue) == (None, "it", "said")
    review = only(quotes, "The review will take months,")
    assert (review.speaker, review.speaker_mention) == (None, "a spokesman")


def test_a_short_whole_sentence_after_a_speakers_quote_is_theirs():
    text = (
        "Governor Ann Lee spoke at the plant.\n"
        "“The new line will open in March,” Lee said. “It works.”\n"
        "Tom Reyes was asked about the cost. It was high, he said. “Too high!”\n"
        "The fans then yelled, “Out, out, out!”\n"
    )
    quotes = extract(text)
    works = only(quotes, "It works.")
    assert (works.kind, works.speaker) == ("direct", "Ann Lee")
    assert only(quotes, "Too high!").speaker == "Tom Reyes"
    assert only(quotes, "Out, out, out!").speaker_mention == "The fans"


def test_a_quoted_verb_before_a_name_is_the_speakers_word_not_a_label():
    text = (
        "Senator Ann Lee spoke on Sunday. "
        "Lee complained that officials tried to “protect” Tom Reyes.\n"
    )
    assert only(extract(text), "protect").speaker == "Ann Lee"


def test_a_name_then_its_description_before_said_and_no_borrowed_speaker():
    text = (
        "The economy grew.\n"
        "“It is not hunky-dory,” Gene Sperling, a top outside adviser, said at an event in Iowa.\n"
        "“We love this country and its people,” this Trump look-alike declared in Mexico City.\n"
        "“Hi Americans!” a welcome message on the website reads.\n"
    )
    quotes = extract(text)
    assert only(quotes, "It is not hunky-dory,").speaker == "Gene Sperling"
    # its own paragraph has a speech verb, whose subject the parser missed: not Sperling's words
    assert not only(quotes, "We love this country and its people,").speaker
    message = only(quotes, "Hi Americans!")
    assert (message.speaker, message.speaker_mention) == (None, "a welcome message on the website")


def test_a_colon_inside_a_reported_clause_and_a_participle_after_a_preposition():
    text = (
        "Omar Haddad spoke at the mosque. “The West will turn against us,” Haddad says. "
        "He adds that young Muslims have two choices: “You either leave or you fight.”\n"
        "On Tuesday, Senator Ann Lee deflected questions about Mr. Reyes before saying, "
        "“It is time to quit attacking people and get on message.”\n"
    )
    quotes = extract(text)
    assert only(quotes, "You either leave or you fight.").speaker == "Omar Haddad"
    saying = only(quotes, "It is time to quit attacking people and get on message.")
    assert (saying.speaker, saying.cue) == ("Ann Lee", "saying")


def test_newswire_titles_after_a_quote_and_an_unnamed_source_in_full():
    text = (
        "Polls\n"
        "''Our popularity is strong in Michigan, Pennsylvania, Virginia, Florida, Ohio,'' "
        "Mr. Trump said. ''I'm a little surprised.''\n"
        "“The drop we are seeing is attributable to the emails,” said a person close to the "
        "Clintons.\n"
    )
    quotes = extract(text)
    assert (
        only(
            quotes, "Our popularity is strong in Michigan, Pennsylvania, Virginia, Florida, Ohio,"
        ).speaker_mention
        == "Mr. Trump"
    )
    drop = only(quotes, "The drop we are seeing is attributable to the emails,")
    assert (drop.speaker, drop.speaker_mention) == (None, "a person close to the Clintons")


def test_a_second_clause_on_the_speech_verb_and_an_echoed_claim_with_no_one_named():
    text = (
        "Mayor Jane Okafor met the council.\n"
        "Okafor said the city was ready for talks but it was the union that walked away.\n"
        "Okafor noted that “despite the strike, the city and the union can and should” agree.\n"
        "After the meeting, it was stated that the two sides “can and should” meet again soon.\n"
    )
    found = claims(text)
    assert found["the city was ready for talks but it was the union that walked away"] == (
        "Jane Okafor"
    )
    assert found["the two sides “can and should” meet again soon"] == "Jane Okafor"


def test_a_spokesman_for_an_organisation_speaks_for_it_and_the_mayors_next_act():
    text = (
        "The harbour sale stalled on Tuesday.\n"
        "Mayor Daniel Reyes said the city had offered “every guarantee we can legally give,” "
        "and accused the union of “moving the goalposts.”\n"
        "A spokesman for the developer, Baltic Quay Holdings, said the company remained "
        "“fully committed” to the project.\n"
        "“We will vote in May,” the US Secretary of State wrote.\n"
    )
    quotes = extract(text)
    found = claims(text)
    assert found["the city had offered “every guarantee we can legally give,”"] == "Daniel Reyes"
    assert only(quotes, "moving the goalposts.").speaker == "Daniel Reyes"
    committed = only(quotes, "fully committed")
    assert (committed.speaker, committed.speaker_mention) == ("Baltic Quay Holdings", "A spokesman")
    # a title, not an employer: no organisation called "State" speaks
    assert only(quotes, "We will vote in May,").speaker != "State"


def test_a_speaker_after_two_apostrophes_is_parsed_as_after_one_mark():
    # the parser reads ''...,'' as '"...," ' spaced inside the marks: with the space outside
    # it read the two spaces as a word, took 'a report' for the object and left the quote
    # without a speaker, and gave names a leading space
    text = (
        "Environmentalists hated it. ''Instead of being fined, utilities will get paid for "
        "keeping their oldest plants on standby,'' noted a report by the group Green Watch.\n"
        "The city bought the course in 2011. ''We wanted to control the land,'' Michael C. "
        "Cernech, the city manager, said.\n"
    )
    quotes = extract(text, without=["model"])
    assert only(quotes, "We wanted to control the land,").speaker_mention == "Michael C. Cernech"
    standby = [q for q in quotes if q.text.startswith("Instead of being fined")]
    assert standby and standby[0].speaker_mention
