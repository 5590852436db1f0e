"""The two editorial groups: editors correct attributions, admins can do everything."""

from django.db import migrations

GROUPS = {
    "editors": {
        # Editors change quotes, speakers (with their aliases) and topics, and resolve reports.
        # Adding and deleting speakers lets them create one inline and merge two into one.
        "quotes.quote": ["view", "change"],
        "quotes.topic": ["view", "add", "change"],
        "quotes.report": ["view", "change"],
        "quotes.statement": ["view"],
        "speakers.speaker": ["view", "add", "change", "delete"],
        "speakers.speakeralias": ["view", "add", "change", "delete"],
        "articles.article": ["view"],
        "articles.outlet": ["view"],
    },
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    editors, _ = Group.objects.get_or_create(name="editors")
    for label, actions in GROUPS["editors"].items():
        app_label, model = label.split(".")
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )

    admins, _ = Group.objects.get_or_create(name="admins")
    admins.permissions.add(*Permission.objects.all())


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editors", "admins"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("articles", "0001_initial"),
        ("speakers", "0001_initial"),
        ("quotes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
