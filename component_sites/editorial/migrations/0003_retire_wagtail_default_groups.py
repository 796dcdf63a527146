"""Existing sites lose Wagtail's English "Moderators"/"Editors" groups (members keep a role).

Their members join "Trưởng ban biên tập" / "Biên tập viên"; Wagtail's default workflow at
the root is renamed "Duyệt trang" and approved by the site admins and the head of the board.
Templates get the same through ``ensure_editorial_setup`` (new sites are cloned from them).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from component_sites.editorial.roles import ensure_editorial_setup, is_public_schema

    if is_public_schema():
        return  # the control plane has no editorial board
    ensure_editorial_setup()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_editorial_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
