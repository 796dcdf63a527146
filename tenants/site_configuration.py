"""Configuring a new site's schema (a ready clone of its level's template) and auditing it.

A handful of statements instead of model saves: the clone already holds the template's
Wagtail ``Site`` row, home page and sections, so what makes it this site's is its host name
and name on the ``Site`` row, the home page's title, the body's name in the branding and
the first admin.  Saving these through the models would run Wagtail's page validation and
its search and reference-index updates in the request; the references do not change with
a title, and the home page's search entry is brought up to date by the worker
(``tenants.site_setup``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django_tenants.utils import schema_context
from wagtail.log_actions import log

from .models import Domain, Tenant


def configure_site_schema(tenant: Tenant, hostname: str, username: str, email: str, password: str):
    """Inside the new schema: the Wagtail Site row, home page title, branding, first admin.

    Returns the admin account.  ``password`` empty: none (a one-time link sets it).
    """
    from wagtail.models import Page, Site

    from themes.models import SiteBranding, default_body_name

    with schema_context(tenant.schema_name):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Site._meta.db_table} SET hostname = %s, port = 80, site_name = %s "  # noqa: S608 - a model's table
                "WHERE is_default_site RETURNING id, root_page_id",
                [hostname, tenant.name],
            )
            row = cursor.fetchone()
        if row is None:
            raise DatabaseError(f"schema {tenant.schema_name} has no default Wagtail site")
        site_id, root_page_id = row
        # What Wagtail's own Site signal does (keys carry the schema: a deleted site's
        # schema name reused must not route by its old root paths).
        Site.clear_site_root_paths_cache()
        Page.objects.filter(pk=root_page_id).update(
            title=tenant.name, draft_title=tenant.name, seo_title=""
        )
        SiteBranding.objects.bulk_create(
            [SiteBranding(site_id=site_id, body_name=default_body_name(tenant.name))],
            update_conflicts=True,
            unique_fields=["site"],
            update_fields=["body_name"],
        )
        user = get_user_model()(username=username, email=email, is_staff=True, is_superuser=True)
        if password:
            user.set_password(password)
        else:
            # No password yet: the admin sets one through a one-time link.
            user.set_unusable_password()
        user.save()
    return user


def audit_creation(tenant: Tenant, domains: list[Domain], user) -> None:
    """The console's trail entry ``tenants.create`` (as ``lifecycle.audit`` writes it)."""
    from component_sites.core.page_cache import purge_site

    # A schema name used before by a deleted site must not serve that site's pages.
    purge_site(tenant.schema_name)
    after = {
        "name": tenant.name,
        "status": tenant.status,
        "status_notice": tenant.status_notice,
        "theme": tenant.theme,
        "primary_domain": next((d.domain for d in domains if d.is_primary), None),
        "aliases": sorted(d.domain for d in domains if not d.is_primary),
    }
    log(
        tenant,
        "tenants.create",
        user=user if getattr(user, "is_authenticated", False) else None,
        data={"before": None, "after": after, "schema": tenant.schema_name},
        title=tenant.name,
    )
