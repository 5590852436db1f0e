"""Reported claims: indirect speech in the reporter's words."""

from apps.quotes.extraction.claims import find_claims
from apps.quotes.extraction.cues import find_cues


def claims(art):
    return [art.text[c.start : c.end] for c in find_claims(art, find_cues(art).cues)]


def test_a_reported_clause_is_a_claim(parsed):
    art = parsed("Lavrov argued that sanctions do no good to anyone at all.\n")
    assert claims(art) == ["sanctions do no good to anyone at all"]


def test_according_to(parsed):
    art = parsed("According to Lavrov, relations between the two countries are poor.\n")
    assert claims(art) == ["relations between the two countries are poor"]


def test_what_a_speaker_asks_of_someone(parsed):
    art = parsed("Pompeo urged Moscow to stay out of the conflict in Venezuela.\n")
    assert claims(art) == ["Moscow to stay out of the conflict in Venezuela"]


def test_results_are_no_ones_claim(parsed):
    art = parsed("The results show that turnout fell in every district.\n")
    assert claims(art) == []


def test_a_quote_with_nothing_of_the_reporters_own_is_no_claim(parsed):
    art = parsed("He said “we will never accept this deal”.\n")
    assert claims(art) == []
