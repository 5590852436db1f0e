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
