"""Inheritance: quotes that take their speaker from the quotes beside them."""

from apps.quotes.extraction import extract


def speaker_of(text, words):
    found = [q for q in extract(text, without={"chooser"}) if q.text == words]
    assert found, f"no quote {words!r}"
    return found[0].speaker


def test_he_who_adds_a_quote_is_who_spoke_the_one_before_though_no_gender_is_known():
    text = (
        "“The inquiry must go on,” Governor Tom Becker said on Monday.\n"
        "“Thanks, Riverton, for welcoming these families,” said master of ceremonies Asab "
        "Tabchi, an engineer who moved to Riverton decades ago. “No thanks to the governor,” he "
        "added.\n"
    )
    assert speaker_of(text, "No thanks to the governor,") == "Asab Tabchi"


def test_he_stays_the_man_named_where_someone_else_spoke_between():
    text = (
        "“The inquiry must go on,” Governor Tom Becker said on Monday.\n"
        "“Thanks for coming,” said Asab Tabchi. Becker then told reporters he was ready. "
        "“No thanks to the council,” he added.\n"
    )
    assert speaker_of(text, "No thanks to the council,") == "Tom Becker"


def test_paragraphs_after_a_transcript_heading_are_the_transcripts():
    text = (
        "Governor Jane Kasich spoke in Columbus on Tuesday night.\n\n"
        "Partial transcript as follows:\n\n"
        '"Tonight we arrived in Cleveland, and we went to a restaurant."\n\n'
        '"We are now up 400,000 jobs."\n'
    )
    quotes = extract(text, without=["model"])
    assert [q.speaker_mention for q in quotes] == ["Partial transcript", "Partial transcript"]
    assert all(q.speaker is None for q in quotes)  # the heading names no one


def test_a_quote_after_someone_else_cuts_in_is_not_the_quote_before_it():
    text = (
        "The couple met the governor on Friday.\n"
        "“Send me the photo,” Ines Diallo said, and Tom Reyes cut in. “Do not forget the cake.”\n"
    )
    assert speaker_of(text, "Send me the photo,") == "Ines Diallo"
    assert speaker_of(text, "Do not forget the cake.") == "Tom Reyes"


def test_a_speech_verb_in_a_clause_about_when_is_no_turn_of_its_own():
    text = (
        "The couple met the governor on Friday.\n"
        "“We will win this,” added her campaign manager Tom Reyes, talking to reporters after "
        "Senator Ana Ruiz spoke. “It will not be easy, but we have a path.”\n"
    )
    assert speaker_of(text, "It will not be easy, but we have a path.") == "Tom Reyes"


def test_a_quote_paragraph_after_someone_else_spoke_is_not_the_quote_befores():
    text = (
        "The council meets on Monday.\n"
        "“We will win this vote,” said Ines Diallo.\n"
        "Later, Tom Reyes told reporters the plan was flawed. Rather, he said, the council "
        "should wait for the audit.\n"
        "“Nobody serious is involved yet. If the effort grows, that will change.”\n"
    )
    assert speaker_of(text, "We will win this vote,") == "Ines Diallo"
    said = "Nobody serious is involved yet. If the effort grows, that will change."
    assert speaker_of(text, said) == "Tom Reyes"


def test_a_quote_a_named_subject_leads_into_with_a_colon_is_theirs():
    text = (
        "The inquiry ended in March.\n"
        "“There was negligence,” said former inspector Tom Becker. “But was it a crime?”\n"
        "Mayor Jane Okafor has since apologized for what happened: “Yes, I should have checked "
        "the accounts myself. I take full responsibility.”\n"
    )
    said = "Yes, I should have checked the accounts myself. I take full responsibility."
    assert speaker_of(text, said) == "Jane Okafor"
    assert speaker_of(text, "But was it a crime?") == "Tom Becker"


def test_a_quoted_sentence_after_a_sentence_adverb_is_the_speakers_before_it():
    text = (
        "Councillor Ana Ruiz spoke on Monday. “People looked at me like a traitor,” she said. "
        "Then, “I try to explain the plan to them. They listen.”\n"
    )
    assert speaker_of(text, "I try to explain the plan to them. They listen.") == "Ana Ruiz"


def test_a_partial_quote_in_a_relative_clause_on_the_quoted_words_before_is_the_same_voice():
    text = (
        "Okafor launched into a lament for the “forgotten workers” who are “victims of trade” "
        "by bosses who are “greedy, greedy people.”\n"
    )
    assert speaker_of(text, "victims of trade") == "Okafor"
    assert speaker_of(text, "greedy, greedy people.") == "Okafor"


def test_a_term_someone_coins_or_prefers_is_their_word():
    text = (
        "Mayor Dan Ortiz has coined a new phrase, “silent taxpayers,” to describe them. Jane "
        "Ruiz prefers the term “quiet majority.”\n"
    )
    assert speaker_of(text, "silent taxpayers,") == "Dan Ortiz"
    assert speaker_of(text, "quiet majority.") == "Jane Ruiz"
