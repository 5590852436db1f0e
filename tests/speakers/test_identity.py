"""One identity per speaker: surnames, fuller names, organisations, capitals, roles, merges."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.speakers.identity import role_clean, same_person
from apps.speakers.merge import speaker_merge
from apps.speakers.models import Speaker, SpeakerAlias, SpeakerRedirect
from apps.speakers.services import SpeakerName, speaker_resolve, speakers_resolve
from tests.editorial import make_article, make_quote, make_speaker, make_user

pytestmark = pytest.mark.django_db


def test_a_surname_alone_joins_the_one_known_person_with_that_surname():
    zakharova = speaker_resolve(name="Maria Zakharova")
    assert speaker_resolve(name="Zakharova") == zakharova
    assert speaker_resolve(name="M. Zakharova") == zakharova
    assert SpeakerAlias.objects.get(normalised="zakharova").speaker == zakharova
    assert Speaker.objects.filter(surname="zakharova").count() == 1


def test_a_fuller_name_joins_a_surname_only_speaker_whose_old_address_redirects(client):
    putin = speaker_resolve(name="Putin", role="Russian President")
    assert putin.slug == "putin"
    fuller = speaker_resolve(name="Vladimir Putin")
    putin.refresh_from_db()
    assert fuller == putin and putin.name == "Vladimir Putin" and putin.slug == "vladimir-putin"
    assert putin.role == "Russian President"
    response = client.get("/speakers/putin/?kind=direct")
    assert response.status_code == 301
    assert response["Location"] == "/speakers/vladimir-putin/?kind=direct"


def test_both_spellings_in_one_article_are_one_speaker():
    found = speakers_resolve(
        names=[SpeakerName("Putin"), SpeakerName("Vladimir Putin"), SpeakerName("V. Putin")]
    )
    assert found["putin"] == found["vladimir putin"] == found["v putin"]
    assert Speaker.objects.filter(surname="putin").count() == 1


def test_ambiguous_surnames_are_not_merged_but_listed_as_possible_duplicates(admin_client):
    joe = speaker_resolve(name="Joe Biden")
    hunter = speaker_resolve(name="Hunter Biden")
    assert joe != hunter  # different given names: two people
    lone = speaker_resolve(name="Biden")  # which one? neither
    assert lone not in (joe, hunter)
    html = admin_client.get("/admin/speakers/speaker/", {"duplicates": "yes"}).content.decode()
    for name in ("Joe Biden", "Hunter Biden"):
        assert f"Merge with {name}" in html
    assert not same_person("Joe Biden", "Hunter Biden") and same_person("Joe Biden", "J. Biden")
    assert same_person("Joe Biden", "Joseph R. Biden") and same_person(
        "Mike Pence", "Michael Pence"
    )


def test_organisations_have_one_canonical_name_for_their_spellings():
    us = speaker_resolve(name="US", kind="organisation")
    assert us.name == "Government of the United States"
    for spelling in ("United States", "the US government", "U.S."):
        assert speaker_resolve(name=spelling, kind="organisation") == us
    state = speaker_resolve(name="State Department", kind="organisation")
    assert state.name == "US Department of State"
    for spelling in ("US State Department", "US Department of State"):
        assert speaker_resolve(name=spelling, kind="organisation") == state
    assert state != us


def test_a_capital_speaking_for_its_government_is_its_alias_marked_as_a_capital(client):
    russia = speaker_resolve(name="Moscow", kind="organisation")
    assert russia.name == "Government of Russia"
    assert SpeakerAlias.objects.get(normalised="moscow").is_capital
    china = speakers_resolve(names=[SpeakerName("Beijing", kind="organisation")])["beijing"]
    assert china.name == "Government of China" and china.kind == "organisation"
    alias = SpeakerAlias.objects.get(normalised="beijing")
    assert alias.speaker == china and alias.is_capital
    html = client.get(f"/speakers/{russia.slug}/").content.decode()
    assert 'Moscow <span class="muted">(the capital, for its government)</span>' in html


@pytest.mark.parametrize(
    ("said", "role"),
    [
        ("A spokeswoman for the Commission,", "Spokeswoman for the Commission"),
        ("the Russian Foreign Minister", "Russian Foreign Minister"),
        ("Osaka", ""),
        ("the head", ""),
        ("who was in Washington", ""),
        ("", ""),
    ],
)
def test_roles_come_from_titles_never_a_place_or_a_fragment(said, role):
    assert role_clean(said) == role


def test_a_role_carries_the_date_it_was_stated_and_a_newer_one_replaces_it():
    when = dt.date(2024, 3, 14)
    spec = SpeakerName("Anna Example", role="the head", stated_on=when)
    anna = speakers_resolve(names=[spec])["anna example"]
    assert anna.role == ""
    anna = speakers_resolve(names=[SpeakerName("Anna Example", role="Osaka", stated_on=when)])[
        "anna example"
    ]
    assert anna.role == ""
    speakers_resolve(names=[SpeakerName("Anna Example", role="deputy minister", stated_on=when)])
    anna.refresh_from_db()
    assert (anna.role, anna.role_stated_on) == ("Deputy minister", when)
    later = dt.date(2025, 1, 2)
    speakers_resolve(names=[SpeakerName("Anna Example", role="the Minister", stated_on=later)])
    anna.refresh_from_db()
    assert (anna.role, anna.role_stated_on) == ("Minister", later)
    older = dt.date(2020, 1, 1)
    speakers_resolve(names=[SpeakerName("Anna Example", role="an adviser", stated_on=older)])
    anna.refresh_from_db()
    assert anna.role == "Minister"
    speaker = speaker_resolve(name="President Ada Lovetest")
    assert speaker.role == "President"


def test_the_wikidata_qid_is_validated_and_unique():
    anna = make_speaker("Anna Qidtest", wikidata_id="Q42")
    anna.full_clean()
    other = make_speaker("Bob Qidtest")
    other.wikidata_id = "42"
    with pytest.raises(ValidationError):
        other.full_clean()
    other.wikidata_id = "Q42"
    with pytest.raises(ValidationError):
        other.full_clean()


def test_one_click_merge_keeps_the_speaker_with_more_quotes(client):
    editor = make_user("edith", groups=["editors"])
    few = make_speaker("Ivana Testerova")
    many = make_speaker("I. Testerova", wikidata_id="Q7")
    article = make_article()
    make_quote(article, "We are not going to give up,", speaker=many)
    make_quote(article, "hindered by a wave of suspicion", speaker=many)
    make_quote(article, "Nothing is agreed until everything is agreed,", speaker=few)
    client.force_login(editor)
    url = f"/admin/speakers/speaker/merge/{few.pk}/{many.pk}/"
    assert client.get(url).status_code == 405  # a write: POST only
    response = client.post(url)
    assert response.status_code == 302
    assert not Speaker.objects.filter(pk=few.pk).exists()
    many.refresh_from_db()
    assert many.quotes.count() == 3
    record = many.history.first()
    assert record.history_user == editor and "Merged Ivana Testerova" in (
        record.history_change_reason
    )
    assert SpeakerRedirect.objects.get(old_slug="ivana-testerova").speaker == many
    assert client.get("/speakers/ivana-testerova/").status_code == 301


def test_a_reader_cannot_merge():
    reader = make_user("rita")
    a, b = make_speaker("Rita Mergetest"), make_speaker("R. Mergetest")
    from django.test import Client

    client = Client()
    client.force_login(reader)
    response = client.post(f"/admin/speakers/speaker/merge/{a.pk}/{b.pk}/")
    assert response.status_code in (302, 403)
    assert Speaker.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_the_merge_form_preselects_the_speaker_with_more_quotes(admin_client):
    few = make_speaker("Marco Examplo")
    many = make_speaker("M. Examplo")
    article = make_article()
    make_quote(article, "Nothing is agreed until everything is agreed,", speaker=many)
    response = admin_client.post(
        "/admin/speakers/speaker/",
        {"action": "merge_speakers", "_selected_action": [few.pk, many.pk]},
    )
    html = response.content.decode()
    assert f'value="{many.pk}" required checked' in html
    assert f'value="{few.pk}" required checked' not in html


def test_merging_twice_keeps_every_old_address():
    a, b, c = make_speaker("Ola Chaintest"), make_speaker("O. Chaintest"), make_speaker("Olaf X")
    speaker_merge(source=a, target=b)
    speaker_merge(source=b, target=c)
    assert set(SpeakerRedirect.objects.filter(speaker=c).values_list("old_slug", flat=True)) == {
        "ola-chaintest",
        "o-chaintest",
    }


def test_the_seeds_speaker_list_has_no_duplicate_person(seeded):
    people = Speaker.objects.filter(kind=Speaker.Kind.PERSON, quotes__isnull=False).distinct()
    surnames = [s.surname for s in people]
    assert surnames and len(surnames) == len(set(surnames)), sorted(surnames)
    names = list(
        Speaker.objects.filter(quotes__isnull=False).distinct().values_list("name", flat=True)
    )
    assert "Putin" not in names and "Vladimir Putin" in names
    assert "US" not in names and "Moscow" not in names
    roles = Speaker.objects.exclude(role="").values_list("role", flat=True)
    assert not [r for r in roles if r in ("Osaka", "the head") or r.endswith(",")]


def test_a_quote_by_a_capital_is_shown_as_its_government_named_as_the_capital(client):
    from apps.articles.services import article_ingest
    from apps.quotes.extraction import ExtractedQuote

    text = 'Talks\n\nMoscow said the talks were "useful and very frank for everyone".\n'
    claim = 'the talks were "useful and very frank for everyone"'
    start = text.index(claim)
    article_ingest(
        text=text,
        extracted=[
            ExtractedQuote(
                start=start,
                end=start + len(claim),
                text=claim,
                kind="indirect",
                speaker="Moscow",
                speaker_mention="Moscow",
                speaker_kind="organisation",
            )
        ],
    )
    html = client.get("/speakers/government-of-russia/").content.decode()
    assert "as “Moscow”</span>" in html
