"""Speech cues and the kind of mention their subject is."""

from spacy.tokens import Doc

from apps.quotes.extraction import extract
from apps.quotes.extraction.cues import find_cues
from apps.quotes.extraction.pipeline import load_pipeline
from apps.quotes.extraction.subjects import verb_subject


def cue_of(art, word):
    found = [c for c in find_cues(art).cues if c.text == word]
    assert found, f"no cue {word!r} in {[c.text for c in find_cues(art).cues]}"
    return found[0]


def mention(art, cue):
    return art.text[cue.mention[0] : cue.mention[1]]


def test_a_name_before_the_verb(parsed):
    art = parsed("“We made progress,” Sergey Lavrov said on Tuesday.\n")
    cue = cue_of(art, "said")
    assert (cue.mention_type, cue.name, mention(art, cue)) == (
        "name",
        "Sergey Lavrov",
        "Sergey Lavrov",
    )


def test_a_title_before_the_name_is_the_role(parsed):
    art = parsed("Mayor Jane Okafor said the bridge would reopen in May.\n")
    cue = cue_of(art, "said")
    assert cue.name == "Jane Okafor"
    assert cue.mention_type == "name"


def test_officials_are_a_group_not_one_person(parsed):
    art = parsed("Officials said the border would stay closed.\n")
    assert cue_of(art, "said").mention_type == "group"


def test_the_company_is_an_organisation(parsed):
    art = parsed("Acme Holdings reported a loss. The company said it would cut jobs.\n")
    cue = cue_of(art, "said")
    assert cue.mention_type == "org"


def test_an_agentless_passive_has_no_mention(parsed):
    art = parsed("It was stated that the two countries would resume talks in spring.\n")
    cue = cue_of(art, "stated")
    assert cue.mention is None


def test_a_negated_verb_is_no_cue(parsed):
    art = parsed("Pompeo did not say whether the talks would go on.\n")
    assert not [c for c in find_cues(art).cues if c.text == "say"]


def test_words_inside_quotes_are_not_cues(parsed):
    art = parsed("“They said nothing at all,” Ruiz added.\n")
    assert [c.text for c in find_cues(art).cues] == ["added"]


def test_a_quoted_word_taken_for_the_subject_gives_way_to_the_name_after_the_quote(parsed):
    art = parsed(
        "Few were surprised. “The plan was doomed from the start. Overconfidence of the board,” "
        "Maria Lindqvist, a veteran analyst, said, naming a few.\n"
    )
    cue = cue_of(art, "said")
    assert (cue.mention_type, cue.name) == ("name", "Maria Lindqvist")


def test_the_name_before_a_relative_clause_speaks(parsed):
    art = parsed(
        "Bankers were uneasy. Of the merger, Halvorsen, who has advised both banks, said, "
        "“It is reckless.”\n"
    )
    cue = cue_of(art, "said")
    assert (cue.mention_type, cue.name) == ("name", "Halvorsen")


def test_a_speech_verb_the_parser_hung_on_the_name_has_the_name_for_subject(parsed):
    art = parsed(
        "Nothing moved. “Turnout is collapsing in the suburbs,” Priya Raman, the data editor "
        "who founded the election desk tweeted on Monday.\n"
    )
    cue = cue_of(art, "tweeted")
    assert (cue.mention_type, cue.name) == ("name", "Priya Raman")


def test_an_age_stands_for_a_person(parsed):
    art = parsed("“The mill will close,” said the 58-year-old.\n")
    cue = cue_of(art, "said")
    assert (cue.mention_type, mention(art, cue)) == ("descriptor", "the 58-year-old")


def test_an_age_the_parser_hung_the_verb_on_is_the_speaker(parsed):
    art = parsed("“What if the mayor took lessons?” the 43-year-old asked in the description.\n")
    cue = cue_of(art, "asked")
    assert (cue.mention_type, mention(art, cue)) == ("descriptor", "the 43-year-old")


def test_a_name_after_the_verb_before_a_participle_is_the_speaker(parsed):
    # the parser makes the name the subject of 'asked', a clause of 'said'
    art = parsed(
        "“I am not going to say it is a mistake, so forget about it,” said retired "
        "neurosurgeon Ben Carson, asked about his claims that he had been offered a place.\n"
    )
    cue = cue_of(art, "said")
    assert (cue.mention_type, cue.name) == ("name", "Ben Carson")


def test_a_speech_verb_the_tagger_read_as_an_adjective_has_the_name_before_it(parsed):
    # spaCy reads 'Trump blasted Disney' as 'a Trump-blasted Disney'
    art = parsed("In March, Trump blasted Disney for its “outrageous practices” in Florida.\n")
    cue = cue_of(art, "blasted")
    assert (cue.mention_type, cue.name) == ("name", "Trump")


def test_a_name_that_is_also_a_word_opening_a_sentence_before_who(parsed):
    art = parsed("Small, who attended the rally on Wednesday, said that “the plan failed.”\n")
    cue = cue_of(art, "said")
    assert cue.name == "Small"


def test_a_name_the_parser_took_for_a_relative_clauses_verb_is_the_speaker(parsed):
    art = parsed(
        "Much of the ire was directed at Bannon, who Beck on Wednesday called “a horrible, "
        "despicable human being.”\n"
    )
    cue = cue_of(art, "called")
    assert (cue.name, mention(art, cue)) == ("Beck", "Beck")


def test_a_name_described_with_a_participle_and_a_quote_before_said(parsed):
    art = parsed(
        "“We have had better conventions than this one,” Texas delegate Bill Eastland, wearing "
        "a cowboy hat and “Ted Cruz” campaign pins, said as confetti fell.\n"
    )
    cue = cue_of(art, "said")
    assert (cue.mention_type, cue.name) == ("name", "Bill Eastland")


def test_a_participle_is_not_sent_to_a_said_inside_the_quote(parsed):
    # the parser made the sentence a clause of the quote's own 'said'
    art = parsed(
        "Weaver didn’t seem particularly impressed with Sanders’ comments Tuesday, telling "
        "reporters, “A lot of people said the governor should step down.”\n"
    )
    cue = cue_of(art, "telling")
    assert cue.name == "Weaver"


def test_a_title_and_a_first_name_make_a_person_though_tagged_an_organisation(parsed):
    art = parsed(
        "“This is the most important transport decision in a decade,” said Councillor Amara "
        "Diallo, who chairs the transport committee.\n"
    )
    cue = cue_of(art, "said")
    assert (cue.mention_type, cue.name) == ("name", "Amara Diallo")


def test_a_statement_saying_is_by_whoever_released_it(parsed):
    art = parsed(
        "Later, Dana Whitfield released a statement saying, “We will appeal the ruling.”\n"
    )
    cue = cue_of(art, "saying")
    assert (cue.mention_type, cue.name) == ("name", "Dana Whitfield")


def test_a_passive_speech_verb_is_said_by_its_agent(parsed):
    art = parsed("The plan was described as “reckless” by Senator Ana Ruiz on Monday.\n")
    cue = cue_of(art, "described")
    assert (cue.mention_type, cue.name) == ("name", "Ana Ruiz")


def test_a_verb_joined_to_a_passive_one_shares_its_subject(parsed):
    art = parsed(
        "By evening, Mayor Tom Becker was forced into damage control and said that his "
        "words had been “misconstrued.”\n"
    )
    cue = cue_of(art, "said")
    assert (cue.mention_type, cue.name) == ("name", "Tom Becker")


def test_a_finite_speech_verb_the_parser_hung_on_its_subject_keeps_it(parsed):
    art = parsed(
        "Some in the crowd booed, and when Kemp thanked Tampa and said it was great to be "
        "home, a man yelled “Stay there!”\n"
    )
    assert mention(art, cue_of(art, "yelled")) == "a man"


def test_a_weekday_after_the_verb_is_no_speaker(parsed):
    art = parsed(
        "Although there is no such overlap, a Treasury official who spoke anonymously to "
        "discuss internal planning said Wednesday, “Certainly there are talks.”\n"
    )
    cue = cue_of(art, "said")
    assert cue.mention is None or "Wednesday" not in mention(art, cue)


def test_the_next_act_of_a_speaker_is_theirs_not_the_reported_clause_subjects(parsed):
    art = parsed(
        "Jane Roe spoke first. Jane Roe said it was too early to declare victory but added, "
        "“We are confident.”\n"
        "Tom Hale pressed on, telling reporters that Kemp is a “fraud” and questioning how "
        "he “got away with it.”\n"
    )
    assert cue_of(art, "added").name == "Jane Roe"
    assert cue_of(art, "questioning").name == "Tom Hale"


def test_of_two_subjects_the_one_nearest_the_verb_speaks(parsed):
    art = parsed(
        "Tuesday at Wallace University in Berea, OH, after winning Ohio in the Republican "
        "presidential primary, Gov. Tom Becker (R-OH), said, “We are grateful.”\n"
    )
    assert mention(art, cue_of(art, "said")) == "Gov. Tom Becker"


def test_a_dateline_in_title_case_is_not_the_subject(parsed):
    art = parsed(
        "Washington (AFP) – Democrat Jane Walsh has taken a swipe at Republican rival Tom "
        "Kemp’s stance on Brexit, saying that “bombastic comments” do more harm than good.\n"
    )
    assert cue_of(art, "saying").name == "Jane Walsh"


def test_a_participle_after_a_named_rival_is_the_subjects_act(parsed):
    art = parsed(
        "Sen. Tom Becker (I-Vt.) visited NBC’s “Today” to discuss his recent remarks about "
        "his presidential rival, Jane Walsh, saying “on her worst day” she’d be better.\n"
    )
    assert cue_of(art, "saying").name == "Tom Becker"


def test_a_participle_hung_on_it_was_is_the_last_speakers(parsed):
    art = parsed(
        "It was a potent one-two punch by the two most prominent women in the party, as "
        "Mrs. Walsh echoed the criticism, saying Mr. Kemp ''reminds us every day that he is "
        "not in it for the people.''\n"
    )
    assert cue_of(art, "saying").name == "Walsh"


def test_issuing_a_statement_is_speech(parsed):
    art = parsed(
        "Immediately after the attacks, Mayor John Smith issued a statement, “Last night, our "
        "city was attacked. It was the worst attack in years.”\n"
    )
    assert cue_of(art, "issued").name == "John Smith"


def test_a_name_the_tagger_took_for_a_verb_is_a_surname(parsed):
    art = parsed(
        "The ruling came late. Husted continued by saying, “We will appeal this decision.”\n"
    )
    assert cue_of(art, "saying").name == "Husted"


def test_an_inverted_speaker_described_by_a_common_noun(parsed):
    art = parsed(
        "Many were angry. “We don't have freedom of opinion anymore,” tweeted a German user "
        "from Hanover.\n"
    )
    assert mention(art, cue_of(art, "tweeted")).startswith("a German user")


def test_a_clause_with_its_own_subject_before_a_colon_introduces_the_quote(parsed):
    art = parsed(
        "Smith said both rivals were “out of touch,” but he gave the mayor a back-handed "
        "compliment: “You never have to guess where he stands.”\n"
    )
    colon = [c for c in find_cues(art).cues if c.colon]
    assert [mention(art, c) for c in colon] == ["he"]


def test_by_after_the_quote_is_no_agent_where_the_verb_has_a_subject(parsed):
    art = parsed(
        "A Calder Metro spokeswoman, Hattie Grainger, called the outage “unacceptable by our "
        "own standards” and said refunds would follow.\n"
    )
    assert cue_of(art, "called").name == "Hattie Grainger"


def test_a_verb_joined_to_a_passive_one_is_its_subjects_not_the_agents(parsed):
    art = parsed(
        "As the crowd began to chant, Silverman was joined on stage again by Minnesota Sen. "
        "Tom Becker and joked, “Bernie or Bust people, you’re being ridiculous,” drawing jeers.\n"
    )
    assert cue_of(art, "joked").name == "Silverman"


def test_as_someone_put_it_is_theirs(parsed):
    art = parsed(
        "The court will decide. As Akhil Amar, professor of law at Yale and author of "
        "''America's Unwritten Constitution,'' put it, ''Senate Republicans should remember "
        "that a compromise candidate may be better for them.''\n"
    )
    assert cue_of(art, "put").name == "Akhil Amar"


def test_whose_remark_it_is_says_who_said_the_words_quoted_in_it(parsed):
    art = parsed(
        "Senator Jane Walsh fanned controversy earlier this year over her remark that “there is "
        "a special place in hell for people who don’t help each other.”\n"
    )
    assert mention(art, cue_of(art, "remark")) == "her"


def test_a_remark_a_speech_verb_reports_is_no_cue_of_its_own(parsed):
    art = parsed(
        "In a statement, Tom Fitton called Walsh's assertion of a “claim of right” "
        "“significant and disturbing.”\n"
    )
    assert not [c for c in find_cues(art).cues if c.text == "assertion"]


def test_a_speech_verb_joined_to_a_clause_about_a_thing_is_the_speakers(parsed):
    art = parsed(
        "Tom Becker spoke in Ohio. He said his recent attacks on the governor have given his "
        "campaign momentum and said that the governor did not represent the “party of Reagan.”\n"
    )
    said = [c for c in find_cues(art).cues if c.text == "said"]
    assert [mention(art, c) for c in said] == ["He", "He"]


def test_a_thing_named_in_the_passive_is_not_the_speaker(parsed):
    art = parsed(
        "Manafort acknowledged that the work he performed could be termed “influence "
        "peddling,” the newspaper reported.\n"
    )
    cue = cue_of(art, "termed")
    assert cue.mention is None or "work" not in mention(art, cue)


def test_going_on_recess_is_no_speech(parsed):
    art = parsed("Sen. Ruth Ellison said that once the Senate goes on recess, “I will travel.”\n")
    assert not [c for c in find_cues(art).cues if c.text == "goes"]


def test_in_the_words_of_someone_is_a_cue(parsed):
    art = parsed("In the words of Senator Jane Walsh, the bill is “a disaster.”\n")
    assert cue_of(art, "words of").name == "Jane Walsh"


def test_a_subject_after_the_verb_wins_over_a_quoted_word_taken_for_one(parsed):
    art = parsed(
        "“Thanks, Riverton, for welcoming these refugees,” said master of ceremonies Asab "
        "Tabchi, a Syrian engineer who moved to Riverton decades ago.\n"
    )
    cue = cue_of(art, "said")
    assert cue.name == "Asab Tabchi"
    assert mention(art, cue) == "master of ceremonies Asab Tabchi"


def test_a_participle_hung_on_the_reported_clause_goes_on_with_the_report(parsed):
    art = parsed(
        "Even a veteran strategist said Okafor will have to choose whose side she is on, "
        "saying, “The pressure is going to build on her.”\n"
    )
    assert mention(art, cue_of(art, "saying")) == "Even a veteran strategist"


def test_a_participle_after_an_unreported_clause_stays_its_subjects(parsed):
    art = parsed(
        "I remember Governor Okafor going on the radio in 1977, declaring a “war on waste.”\n"
    )
    assert mention(art, cue_of(art, "declaring")) == "Governor Okafor"


def test_a_share_of_the_people_asked_speaks_through_the_poll(parsed):
    art = parsed(
        "In a Harbor Institute poll released Sunday, 64 percent of residents said “the council” "
        "cannot be trusted with the budget.\n"
    )
    cue = cue_of(art, "said")
    assert (cue.mention_type, cue.name) == ("org", "Harbor Institute")


def test_a_share_given_as_so_many_in_ten_speaks_through_the_poll(parsed):
    art = parsed(
        "A Harbor Institute survey out Sunday shows how split the town is: seven in 10 "
        "residents said the council “cannot be trusted” with the budget.\n"
    )
    assert mention(art, cue_of(art, "said")) == "A Harbor Institute survey"


def test_a_share_with_no_poll_named_is_left_as_it_is(parsed):
    art = parsed("Last week 75 percent of the members said they would stay.\n")
    assert mention(art, cue_of(art, "said")) == "75 percent"


def test_a_thing_that_suggests_something_in_a_reported_clause_is_no_cue(parsed):
    art = parsed(
        "A person close to the audit said the files that were copied suggested the thieves "
        "were after “trade secrets.”\n"
    )
    assert [c.text for c in find_cues(art).cues] == ["said"]


def test_a_relative_clause_about_quoted_words_is_not_said_by_them(parsed):
    art = parsed(
        "He has proposed hiring a “chief housing inspector” who reports straight to the mayor.\n"
    )
    assert cue_of(art, "reports").mention is None


def test_a_clause_before_a_colon_that_is_itself_reported_introduces_nothing(parsed):
    art = parsed(
        "Ruiz said the delay was a “costly error” and that the mayor has changed course: "
        "“We are ready for a longer fight.”\n"
    )
    assert not [c for c in find_cues(art).cues if c.colon]


def test_a_subject_after_the_verb_speaks_where_a_quote_stands_between_the_other_and_it():
    # the parse spaCy gave a paragraph of PolNeAR: 'Becker' and 'source' both subjects of 'said'
    words = ["Becker", "has", "been", "“", "worked", "up", ",", "”", "said", "a", "source", "."]
    heads = [8, 4, 4, 4, 8, 4, 8, 8, 8, 10, 8, 8]
    deps = ["nsubj", "aux", "auxpass", "punct", "ccomp", "prt", "punct", "punct", "ROOT", "det"]
    deps += ["nsubj", "punct"]
    doc = Doc(load_pipeline().vocab, words=words, heads=heads, deps=deps)
    said = doc[8]
    assert verb_subject(said, quoted=lambda t: 3 <= t.i <= 7).text == "source"
    assert verb_subject(said).text == "Becker"  # no quote between: the nearest before


def test_a_hyphenated_name_is_written_whole(parsed):
    art = parsed("“No,” said Rep. Alexandria Ocasio-Cortez on Monday.\n")
    assert cue_of(art, "said").name == "Alexandria Ocasio-Cortez"


def test_a_person_named_in_apposition_right_before_the_verb_says_it():
    # the parse spaCy gave a paragraph of PolNeAR: the second name in apposition to the first
    words = ["Or", "maybe", "Jeb", "Becker", ",", "consultant", "Phil", "Ruiz", "says", "."]
    heads = [8, 8, 3, 8, 3, 7, 7, 3, 8, 8]
    deps = ["cc", "advmod", "compound", "nsubj", "punct", "compound", "compound", "appos"]
    deps += ["ROOT", "punct"]
    ents = ["O", "O", "B-PERSON", "I-PERSON", "O", "O", "B-PERSON", "I-PERSON", "O", "O"]
    doc = Doc(load_pipeline().vocab, words=words, heads=heads, deps=deps, ents=ents)
    assert verb_subject(doc[8]).text == "Ruiz"


def test_a_claim_a_framing_verb_governs_is_still_its_owners(parsed):
    art = parsed(
        "Mayor Tom Ridley criticised reporters for making much of Jane Walsh’s claim that the "
        "council “wasted millions,” saying they had missed the point.\n"
    )
    assert mention(art, cue_of(art, "claim")) == "Jane Walsh"


def test_whose_claim_it_is_when_the_claim_is_what_follows(parsed):
    art = parsed("But Walsh’s main claim is that the inquiry is a “political stunt.”\n")
    assert mention(art, cue_of(art, "claim")) == "Walsh"


def test_a_post_named_before_a_colon_is_its_authors(parsed):
    art = parsed(
        "Aides say the senator will campaign in Ohio. From Walsh’s Facebook post: “We must "
        "come together now, or we will lose in November.”\n"
    )
    colon = [c for c in find_cues(art).cues if c.colon]
    assert [mention(art, c) for c in colon] == ["Walsh"]


def test_the_channel_before_a_colon_is_where_not_who(parsed):
    art = parsed(
        "“We never should have gone in,” Ridley told reporters in May.\n\n"
        "Then, later that month on CNN: “I never said we should not have gone in.”\n"
    )
    assert not [c for c in find_cues(art).cues if c.colon]


def test_a_verb_the_parser_hung_on_a_sentence_with_no_other_verb_is_the_names(parsed):
    for text in (
        "Budgets came up next. Beruff, a Scott ally, called Ohio’s standards “strong.”\n",
        "Testing came up next. Beruff, a Kasich ally, called Ohio’s standards “weak.”\n",
    ):
        art = parsed(text)
        assert mention(art, cue_of(art, "called")) == "Beruff"


def test_one_or_another_of_the_people_met_is_someone_unnamed(parsed):
    art = parsed(
        "Two visitors spoke to us. One of them said the war must “end soon.” Another said he "
        "hoped with his “whole heart” that the mayor wins. One could say it is “a mess.”\n"
    )
    said = [mention(art, c) for c in find_cues(art).cues if c.text == "said"]
    assert said == ["One of them", "Another"]
    assert not [c for c in find_cues(art).cues if c.text == "say" and c.mention]


def test_the_name_between_a_dash_and_a_colon_is_who_a_digest_quotes():
    text = (
        "But polls did predict the Democratic race - PollWatch: “While the caucuses provided "
        "an upset, most pollsters fared much better.” [Daily Digest.]\n"
    )
    (found,) = [q for q in extract(text) if q.text.startswith("While")]
    assert found.speaker_mention == "PollWatch"


def test_a_subject_the_parser_joined_to_the_object_before_it_speaks_for_its_own_verb(parsed):
    # parsed as 'a liar and Channel Five': 'accuse' was left to share 'the Harbor Times'
    art = parsed(
        "If you complain, the Harbor Times will call you a liar and Channel Five will accuse "
        "you of staging a “publicity stunt.”\n"
    )
    assert mention(art, cue_of(art, "accuse")) == "Channel Five"
    assert mention(art, cue_of(art, "call")) == "the Harbor Times"


def test_the_one_a_causative_verb_made_speak_is_the_speaker(parsed):
    art = parsed(
        "Ines Diallo won the primary in a landslide that led her to declare that the seat was "
        "“within reach.”\n"
    )
    assert mention(art, cue_of(art, "declare")) == "her"


def test_the_one_asked_to_speak_has_not_spoken(parsed):
    art = parsed(
        "The contract requires staff members to promise that they will not “disparage” the "
        "company.\n"
    )
    cue = cue_of(art, "promise")
    assert cue.mention is None or mention(art, cue) != "staff members"


def test_someone_described_by_a_relative_clause_right_before_the_verb_speaks(parsed):
    # the parser hangs 'official' on 'campaign' and leaves 'said' without a subject
    art = parsed(
        "Although there is no such link with Okafor's campaign, a state official who spoke "
        "anonymously to discuss internal planning said Tuesday, “Certainly there are talks.”\n"
    )
    assert mention(art, cue_of(art, "said")) == "a state official"


def test_a_remark_whose_that_clause_the_parser_hung_on_the_main_verb_is_its_owners(parsed):
    for text, noun, owner in (
        (
            "Mayor Dan Ortiz was challenged over his statement on Friday that “taxes hurt "
            "us,” but he kept calm.\n",
            "statement",
            "his",
        ),
        (
            "The union is unlikely to back Jane Ruiz after her March comment that, “We are "
            "going to close the plant.”\n",
            "comment",
            "her",
        ),
    ):
        art = parsed(text)
        assert mention(art, cue_of(art, noun)) == owner
        (quote,) = extract(text)
        assert quote.speaker_mention == owner


def test_a_remark_named_where_a_speech_verb_reports_the_clause_is_no_cue_of_its_own(parsed):
    art = parsed("Jane Ruiz said in her opening remarks that the plan is “a good start.”\n")
    assert not [c for c in find_cues(art).cues if c.text == "remarks"]


def test_a_few_or_a_share_of_the_people_met_speak_unnamed(parsed):
    art = parsed(
        "We met nurses in Leeds. Several said they wanted “fair pay” first. About three in 10 "
        "said they felt “ignored.” Those asked said the ward was “full.” Some say it is “a "
        "scandal.”\n"
    )
    said = [mention(art, c) for c in find_cues(art).cues if c.text == "said"]
    assert said == ["Several", "About three in 10", "Those"]
    assert not [c for c in find_cues(art).cues if c.text == "say" and c.mention]


def test_a_participle_hung_on_a_phrase_after_a_comma_is_the_clauses_subjects_act(parsed):
    art = parsed(
        "Ortiz has battled with the council over the budget, at one point calling the mayor a "
        "“liar” who was not “honorable.”\n"
    )
    assert mention(art, cue_of(art, "calling")) == "Ortiz"


def test_a_participle_after_a_prepositional_clause_is_the_main_clauses_subjects_act(parsed):
    art = parsed(
        "The nominee has staked much of his campaign on cracking down on crime, portraying "
        "drug dealers, in particular, as “monsters” and criminals who take jobs.\n"
    )
    assert mention(art, cue_of(art, "portraying")) == "The nominee"


def test_whose_rejection_or_tirade_it_is_is_who_said_the_words_quoted_in_it(parsed):
    art = parsed(
        "It was Jane Walsh’s lyrical rejection of “a politics of fear” that won the night. "
        "Then came Tom Ridley’s tirade against “lazy reporters.”\n"
    )
    assert mention(art, cue_of(art, "rejection")) == "Jane Walsh"
    assert mention(art, cue_of(art, "tirade")) == "Tom Ridley"


def test_a_remark_by_someone_is_theirs(parsed):
    art = parsed(
        "Critics pointed to the suggestion by Mayor Dan Ortiz that someone “ought to look into” "
        "the judge.\n"
    )
    assert mention(art, cue_of(art, "suggestion")) == "Mayor Dan Ortiz"
