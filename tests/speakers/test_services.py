"""The speaker registry: spellings resolve to one speaker; aliases feed the next extraction."""

import pytest

from apps.articles.services import article_ingest
from apps.speakers.models import Speaker, SpeakerAlias
from apps.speakers.services import is_name_variant, speaker_hints, speaker_resolve

pytestmark = pytest.mark.django_db


def test_the_registry_starts_with_the_four_seed_speakers_and_their_spellings():
    assert set(Speaker.objects.values_list("slug", flat=True)) >= {
        "sergey-lavrov",
        "mike-pompeo",
        "yury-ushakov",
        "alexei-arbatov",
    }
    for spelling, slug in [
        ("Sergei Lavrov", "sergey-lavrov"),
        ("Lavrov", "sergey-lavrov"),
        ("Michael Pompeo", "mike-pompeo"),
        ("Yuri Ushakov", "yury-ushakov"),
        ("Alexey Arbatov", "alexei-arbatov"),
    ]:
        assert speaker_resolve(name=spelling).slug == slug
    assert Speaker.objects.get(slug="alexei-arbatov").organisation.startswith("IMEMO")


def test_an_unknown_name_creates_one_speaker_with_its_alias():
    first = speaker_resolve(name="Maria Zakharova", role="Foreign Ministry spokeswoman")
    again = speaker_resolve(name="Maria  Zakharova")
    assert first == again and first.slug == "maria-zakharova"
    assert first.role == "Foreign Ministry spokeswoman"
    assert SpeakerAlias.objects.filter(speaker=first).count() == 1
    other = Speaker.objects.create(name="Maria Zakharova (painter)", slug="maria-zakharova-2")
    assert speaker_resolve(name="maria zakharova") == first != other
    org = speaker_resolve(name="State Department", kind="organisation")
    assert org.kind == "organisation"


def test_a_new_name_whose_slug_is_taken_gets_the_next_free_one_and_its_history():
    Speaker.objects.create(name="Anna Testova (painter)", slug="anna-testova")
    Speaker.objects.create(name="Anna Testova (singer)", slug="anna-testova-2")
    created = speaker_resolve(name="Anna Testova", role="Diplomat")
    assert created.slug == "anna-testova-3" and created.role == "Diplomat"
    record = Speaker.history.get(id=created.pk)
    assert (record.history_type, record.slug, record.name) == ("+", "anna-testova-3", created.name)
    alias = SpeakerAlias.objects.get(normalised="anna testova")
    assert SpeakerAlias.history.get(id=alias.pk).speaker_id == created.pk


def test_name_variants_are_told_from_pronouns_and_descriptions():
    lavrov = Speaker.objects.get(slug="sergey-lavrov")
    assert is_name_variant("Sergei Lavrov", lavrov)
    assert is_name_variant("Lavrov", lavrov)
    assert not is_name_variant("he", lavrov)
    assert not is_name_variant("the minister", lavrov)


def test_an_alias_an_editor_adds_is_passed_to_the_next_extraction(monkeypatch):
    lavrov = Speaker.objects.get(slug="sergey-lavrov")
    SpeakerAlias.objects.create(
        speaker=lavrov, name="Russia's top diplomat", normalised="russia top diplomat"
    )
    hint = next(h for h in speaker_hints() if h.name == "Sergey Lavrov")
    assert "Russia's top diplomat" in hint.aliases and "Lavrov" in hint.aliases
    assert hint.role == "Russian Foreign Minister"

    seen = {}

    def spy(text, *, speakers=()):
        seen["speakers"] = speakers
        return []

    monkeypatch.setattr("apps.articles.services.extract", spy)
    article_ingest(text="Talks\n\n“Fine,” Russia's top diplomat said.", title="Talks")
    names = {h.name: h for h in seen["speakers"]}
    assert "Russia's top diplomat" in names["Sergey Lavrov"].aliases
