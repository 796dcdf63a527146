# Sites made before the news app: their documents section becomes a DocumentIndexPage in place.

from django.db import migrations

from component_sites.core.section_types import promote_sections


def forwards(apps, schema_editor):
    promote_sections(
        apps, schema_editor, key="documents", app_label="documents", model_name="DocumentIndexPage"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
