"""Template schemas, one per level, that new sites are cloned from.

A template is a schema with every tenant migration applied and a seeded Wagtail
site (home page, Site row).  Provisioning copies it with data (``tenants.schema_copy``),
which costs a fraction of migrating a fresh schema.  Templates are kept migrated by
``manage.py ensure_site_templates`` (run by ``make run`` and at deploy time):
a clone is marked as fully migrated, so a stale template would yield a stale site.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_context, schema_exists

from .schema_copy import CopyUnavailable, copy_or_clone, template_ddl

logger = logging.getLogger(__name__)

TEMPLATE_HOME_TITLES = {
    "province": "Cổng thông tin điện tử tỉnh",
    "district": "Trang thông tin điện tử huyện",
    "commune": "Trang thông tin điện tử xã",
}


def template_schemas() -> dict[str, str]:
    """Level → template schema name."""
    return dict(settings.TENANT_TEMPLATE_SCHEMAS)


def missing_templates() -> list[str]:
    return [name for name in template_schemas().values() if not schema_exists(name)]


def ensure_template_schemas(report: Callable[[str], None] = logger.info) -> list[str]:
    """Create any missing template schema and bring every template up to date.

    The first template is migrated from scratch; the others are cloned from it
    (same tables, same content type ids) and then re-seeded for their level.
    Returns the names of the templates created.
    """
    created: list[str] = []
    migrated_source: str | None = None
    # Refresh django-tenants' clone function once here (deploy time, one process):
    # provisioning only installs it when missing, so parallel clones never replace it.
    CloneSchema()._create_clone_schema_function()
    for level, schema in template_schemas().items():
        if schema_exists(schema):
            report(f"Cập nhật lược đồ mẫu {schema} (cấp {level})")
            call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
        elif migrated_source:
            report(f"Tạo lược đồ mẫu {schema} bằng cách sao chép {migrated_source}")
            with transaction.atomic():
                copy_or_clone(migrated_source, schema)
            connection.set_schema_to_public()
            created.append(schema)
        else:
            report(f"Tạo lược đồ mẫu {schema} và chạy migration (lần đầu, mất vài giây)")
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{schema}"')
            call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
            created.append(schema)
        seed_template(schema, level)
        migrated_source = migrated_source or schema
    connection.set_schema_to_public()
    # Read each template's definition now (deploy time) rather than at the first new site.
    for schema in template_schemas().values():
        try:
            template_ddl(schema)
        except CopyUnavailable as error:
            report(f"Không đọc được định nghĩa lược đồ mẫu {schema}, sẽ dùng clone_schema: {error}")
    return created


def seed_template(schema: str, level: str) -> None:
    """Give a template its home page and Wagtail Site row (idempotent)."""
    from wagtail.models import Locale, Page, Site

    from component_sites.core.models import HomePage, ensure_standard_sections
    from component_sites.editorial.roles import ensure_editorial_setup

    with schema_context(schema), transaction.atomic():
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            locale = Locale.get_default()
            # Wagtail's first migration leaves a placeholder "Welcome" page: replace it.
            for child in root.get_children():
                if not isinstance(child.specific, HomePage):
                    Site.objects.filter(root_page=child).delete()
                    child.delete()
            home = root.add_child(
                instance=HomePage(
                    title=TEMPLATE_HOME_TITLES[level],
                    slug="trang-chu",
                    locale=locale,
                    intro="",
                )
            )
        else:
            home.title = home.draft_title = TEMPLATE_HOME_TITLES[level]
            home.save(update_fields=["title", "draft_title"])
        ensure_standard_sections(home)
        # Roles and the approval workflow (attached to the news section just made).
        ensure_editorial_setup()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="template.invalid",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=TEMPLATE_HOME_TITLES[level],
            )
        else:
            site.root_page = home
            site.hostname = "template.invalid"
            site.port = 80
            site.site_name = TEMPLATE_HOME_TITLES[level]
            site.save()
