"""Data-migration helper: turn existing plain sections into a content app's typed section.

A site (or template schema) created before, say, the news app existed has its news section
as a plain ``SectionPage``.  The app's migration promotes it in place: same page, same id,
same URL, now with the typed model's row and content type (revisions follow).
"""


def promote_sections(apps, schema_editor, *, key: str, app_label: str, model_name: str):
    """Make every plain ``SectionPage`` with ``section_key == key`` an ``app_label.model_name``."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    page_model = apps.get_model("wagtailcore", "Page")
    revision_model = apps.get_model("wagtailcore", "Revision")
    section_model = apps.get_model("core", "SectionPage")
    typed_model = apps.get_model(app_label, model_name)

    plain, _ = content_type_model.objects.get_or_create(app_label="core", model="sectionpage")
    typed, _ = content_type_model.objects.get_or_create(
        app_label=app_label, model=model_name.lower()
    )
    ids = list(
        section_model.objects.filter(section_key=key, content_type=plain).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return
    table = schema_editor.quote_name(typed_model._meta.db_table)
    column = schema_editor.quote_name(typed_model._meta.pk.column)
    for pk in ids:
        schema_editor.execute(f"INSERT INTO {table} ({column}) VALUES (%s)", [pk])  # noqa: S608
    page_model.objects.filter(pk__in=ids).update(content_type=typed)
    revision_model.objects.filter(content_type=plain, object_id__in=[str(pk) for pk in ids]).update(
        content_type=typed
    )
