"""The shipped taxonomy's keywords narrowed (no "meeting", "business", "nuclear" alone,
"import*" matching "important", "interfere" alone) and its broad topic marked, for topics editors
have not changed. Run `manage.py retopic` afterwards to reassign the topics of stored quotes."""

from importlib import import_module

from django.db import migrations

from apps.quotes.taxonomy import BROAD, TOPICS

SHIPPED = import_module("apps.quotes.migrations.0002_seed_topics").TOPICS


def narrow(apps, schema_editor):
    Topic = apps.get_model("quotes", "Topic")
    original = {slug: keywords for _, slug, _, keywords in SHIPPED}
    for _, slug, _, keywords in TOPICS:
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            continue
        if list(topic.keywords) == original.get(slug):
            topic.keywords = list(keywords)
        topic.broad = slug in BROAD
        topic.save()


class Migration(migrations.Migration):
    dependencies = [("quotes", "0012_topic_broad")]

    operations = [migrations.RunPython(narrow, migrations.RunPython.noop)]
