# Sites made before the news app: their news section becomes a NewsIndexPage in place.

from django.db import migrations

from component_sites.core.section_types import promote_sections


def forwards(apps, schema_editor):
    promote_sections(
        apps, schema_editor, key="news", app_label="news", model_name="NewsIndexPage"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
