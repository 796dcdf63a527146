"""Figures that flow up: per-site content counts, computed in each schema, stored in public."""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from django.db.models import Max
from django_tenants.utils import get_public_schema_name, schema_context


@shared_task(name="tasks.metrics.refresh_site_stats", ignore_result=True)
def refresh_site_stats(tenant_id: int) -> dict[str, int | str | None]:
    """Count one site's pages, images and documents; idempotent (an upsert by site)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from tenants.models import SiteStats, Tenant

    with schema_context(get_public_schema_name()):
        tenant = Tenant.objects.get(pk=tenant_id)
    with schema_context(tenant.schema_name):
        pages = Page.objects.filter(depth__gt=1)
        figures = {
            "pages_live": pages.live().count(),
            "pages_total": pages.count(),
            "images": get_image_model().objects.count(),
            "documents": get_document_model().objects.count(),
            "last_published_at": pages.aggregate(last=Max("last_published_at"))["last"],
        }
    with schema_context(get_public_schema_name()):
        SiteStats.objects.update_or_create(tenant=tenant, defaults=figures)
    return {**figures, "last_published_at": str(figures["last_published_at"])}


@shared_task(name="tasks.metrics.refresh_all_site_stats")
def refresh_all_site_stats() -> int:
    """Scheduled by beat: one refresh task per site (so one slow site delays nothing else)."""
    from tenants.models import Tenant

    connection.set_schema_to_public()
    ids = list(Tenant.objects.values_list("pk", flat=True))
    for tenant_id in ids:
        refresh_site_stats.delay(tenant_id)
    return len(ids)
