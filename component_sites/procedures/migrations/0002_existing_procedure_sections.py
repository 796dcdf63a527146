"""Sites made before this app existed: their "procedures" section becomes a procedure index.

The section keeps its page id, title, slug and place in the tree; only its type changes
(a row in the subclass table and the page's content type, looked up in this schema).
Sections that editors filled with child pages are left as they are.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    SectionPage = apps.get_model("core", "SectionPage")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="procedures", model="procedureindexpage"
    )
    table = "procedures_procedureindexpage"
    for section in SectionPage.objects.filter(section_key="procedures"):
        page = Page.objects.get(pk=section.pk)
        if page.numchild or page.content_type_id == content_type.pk:
            continue
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (sectionpage_ptr_id) VALUES (%s) ON CONFLICT DO NOTHING",
                [section.pk],
            )
        Page.objects.filter(pk=section.pk).update(content_type=content_type)


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
