"""Give every existing site the editorial roles and the approval workflow.

Uses the current models on purpose (the same function seeds the templates), so that
existing sites and new clones get exactly the same setup; it is idempotent.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from component_sites.editorial.roles import ensure_editorial_setup, is_public_schema

    if is_public_schema():
        return  # the control plane has no editorial board
    ensure_editorial_setup()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("news", "0003_articlepage_contributing_unit_articlepage_work_kind"),
        # After Wagtail's own data migrations (e.g. the "choose" permissions they grant).
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("core", "0003_counterbatch_storedcounter"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
