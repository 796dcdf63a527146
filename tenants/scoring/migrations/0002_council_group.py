"""The council members' group of the console (public schema only)."""

from django.db import migrations

COUNCIL_GROUP = "Hội đồng biên tập tỉnh"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=COUNCIL_GROUP)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
