"""Canonical organisations with their spellings (the US, the State Department, a capital for its
government), every person's surname filled in for matching a surname alone, and roles that are
no role (a place, a fragment) cleared.

A database that already has speakers under these spellings (created by ingest before this
migration) keeps them: the first becomes the canonical organisation, the others are folded into
it (quotes, statements and aliases move; the duplicate goes).
"""

from django.db import migrations

from apps.quotes.extraction.names import normalise_name
from apps.speakers.identity import role_clean, surname_key
from apps.speakers.migrations._seed_data import ORGANISATIONS


def seed(apps, schema_editor):
    Speaker = apps.get_model("speakers", "Speaker")
    SpeakerAlias = apps.get_model("speakers", "SpeakerAlias")
    Quote = apps.get_model("quotes", "Quote")
    Statement = apps.get_model("quotes", "Statement")
    for data in ORGANISATIONS:
        spellings = [(n, False) for n in [data["name"], *data["aliases"]]]
        spellings += [(n, True) for n in data["capitals"]]
        keys = {normalise_name(n) for n, _ in spellings}
        owners = list(
            Speaker.objects.filter(aliases__normalised__in=keys).distinct().order_by("pk")
        )
        speaker = Speaker.objects.filter(slug=data["slug"]).first() or (
            owners[0] if owners else None
        )
        if speaker is None:
            speaker = Speaker.objects.create(
                name=data["name"], slug=data["slug"], kind="organisation", country=data["country"]
            )
        else:
            speaker.name, speaker.kind = data["name"], "organisation"
            speaker.country = speaker.country or data["country"]
            if not Speaker.objects.filter(slug=data["slug"]).exclude(pk=speaker.pk).exists():
                speaker.slug = data["slug"]
            speaker.save()
        for other in owners:
            if other.pk == speaker.pk:
                continue
            Quote.objects.filter(speaker=other).update(speaker=speaker)
            Statement.objects.filter(speaker=other).update(speaker=speaker)
            SpeakerAlias.objects.filter(speaker=other).update(speaker=speaker)
            other.delete()
        for name, is_capital in spellings:
            alias, created = SpeakerAlias.objects.get_or_create(
                normalised=normalise_name(name),
                defaults={"speaker": speaker, "name": name, "is_capital": is_capital},
            )
            if not created and (alias.speaker_id != speaker.pk or alias.is_capital != is_capital):
                alias.speaker, alias.is_capital = speaker, is_capital
                alias.save()
    for person in Speaker.objects.filter(kind="person", surname=""):
        person.surname = surname_key(person.name)
        person.save(update_fields=["surname"])
    for speaker in Speaker.objects.exclude(role=""):  # 'Osaka', 'the head', a trailing comma
        role = role_clean(speaker.role)
        if role != speaker.role:
            speaker.role = role
            speaker.save(update_fields=["role"])


class Migration(migrations.Migration):
    dependencies = [
        ("speakers", "0003_speaker_identity"),
        ("quotes", "0009_quote_search_vector_without_pending_list"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
