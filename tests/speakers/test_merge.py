"""Merging speakers and teaching the registry aliases."""

import pytest
from django.core.exceptions import ValidationError

from apps.quotes.extraction.names import normalise_name
from apps.quotes.models import Quote, Statement
from apps.speakers.merge import speaker_alias_add, speaker_merge
from apps.speakers.models import Speaker, SpeakerAlias
from tests.editorial import make_article, make_quote, make_speaker, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("edith", groups=["editors"])


def test_merge_moves_quotes_aliases_and_statements_and_keeps_the_name_as_alias(editor):
    keep = make_speaker("Ivana Testerova", role="Envoy")
    dupe = make_speaker("I. Testerova", organisation="Ministry of Examples")
    SpeakerAlias.objects.create(speaker=dupe, name="Envoy Testerova", normalised="envoy testerova")
    article = make_article()
    moved = make_quote(article, "We are not going to give up,", speaker=dupe)
    stays = make_quote(article, "hindered by a wave of suspicion", speaker=keep)
    statement = Statement.objects.create(text="We are not going to give up", speaker=dupe)

    result = speaker_merge(source=dupe, target=keep, user=editor)

    assert result == keep
    assert not Speaker.objects.filter(pk=dupe.pk).exists()
    assert set(keep.quotes.all()) == {moved, stays}
    assert set(keep.aliases.values_list("name", flat=True)) == {
        "Ivana Testerova",
        "I. Testerova",
        "Envoy Testerova",
    }
    statement.refresh_from_db()
    assert statement.speaker == keep
    keep.refresh_from_db()
    assert (keep.role, keep.organisation) == ("Envoy", "Ministry of Examples")
    moved.refresh_from_db()
    assert moved.history.first().history_user == editor
    assert "Merged I. Testerova" in moved.history.first().history_change_reason
    deleted = Speaker.history.filter(id=dupe.pk, history_type="-").get()
    assert deleted.history_user == editor


def test_merge_adds_the_merged_name_as_alias_when_it_had_none():
    keep = make_speaker("Marco Examplo")
    dupe = Speaker.objects.create(name="M. Examplo", slug="m-examplo")
    speaker_merge(source=dupe, target=keep)
    alias = SpeakerAlias.objects.get(normalised=normalise_name("M. Examplo"))
    assert alias.speaker == keep


def test_merge_keeps_the_editors_decisions():
    keep = make_speaker("Marco Examplo")
    dupe = make_speaker("Marko Examplo")
    quote = make_quote(
        make_article(), "Nothing is agreed", speaker=dupe, status=Quote.Status.CONFIRMED
    )
    speaker_merge(source=dupe, target=keep)
    quote.refresh_from_db()
    assert (quote.speaker, quote.status) == (keep, Quote.Status.CONFIRMED)


def test_merge_into_itself_is_refused():
    speaker = make_speaker("Marco Examplo")
    with pytest.raises(ValidationError):
        speaker_merge(source=speaker, target=speaker)
    assert Speaker.objects.filter(pk=speaker.pk).exists()


def test_alias_add_stores_the_normalised_key_and_is_idempotent(editor):
    speaker = make_speaker("Ivana Testerova")
    alias = speaker_alias_add(speaker=speaker, name="  Yuri   Examplov ", user=editor)
    assert alias.name == "Yuri Examplov"
    assert alias.normalised == normalise_name("Yury Examplov")
    assert alias.history.first().history_user == editor
    # The same spelling again, or a transliteration variant of it, is the same alias.
    assert speaker_alias_add(speaker=speaker, name="Yuri Examplov") == alias
    assert speaker_alias_add(speaker=speaker, name="Yury Examplov") == alias


def test_alias_add_refuses_a_name_that_belongs_to_someone_else():
    make_speaker("Ivana Testerova")
    other = make_speaker("Marco Examplo")
    with pytest.raises(ValidationError, match="already an alias of Ivana Testerova"):
        speaker_alias_add(speaker=other, name="Ivana Testerova")


def test_alias_add_refuses_a_blank_name():
    with pytest.raises(ValidationError):
        speaker_alias_add(speaker=make_speaker("Marco Examplo"), name=" ... ")
