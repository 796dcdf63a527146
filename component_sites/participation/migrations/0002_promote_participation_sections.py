# Sites made before the participation app: their questions and drafts sections become the
# typed index pages in place.

from django.db import migrations

from component_sites.core.section_types import promote_sections


def forwards(apps, schema_editor):
    promote_sections(
        apps,
        schema_editor,
        key="questions",
        app_label="participation",
        model_name="QuestionIndexPage",
    )
    promote_sections(
        apps, schema_editor, key="drafts", app_label="participation", model_name="DraftIndexPage"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("participation", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
