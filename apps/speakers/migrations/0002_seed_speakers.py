"""The registry starts with the four speakers of the seed articles and their common spellings."""

from django.db import migrations

from apps.quotes.extraction.names import normalise_name
from apps.speakers.migrations._seed_data import SPEAKERS  # noqa: E402


def seed(apps, schema_editor):
    Speaker = apps.get_model("speakers", "Speaker")
    SpeakerAlias = apps.get_model("speakers", "SpeakerAlias")
    for data in SPEAKERS:
        data = dict(data)
        aliases = data.pop("aliases")
        speaker, _ = Speaker.objects.get_or_create(slug=data["slug"], defaults=data)
        for alias in aliases:
            SpeakerAlias.objects.get_or_create(
                normalised=normalise_name(alias), defaults={"speaker": speaker, "name": alias}
            )


def unseed(apps, schema_editor):
    Speaker = apps.get_model("speakers", "Speaker")
    Speaker.objects.filter(slug__in=[s["slug"] for s in SPEAKERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("speakers", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
