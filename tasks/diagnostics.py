"""Small tasks that show where work runs (used by tests and by operators)."""

from __future__ import annotations

from celery import shared_task
from django.db import connection


@shared_task(name="tasks.diagnostics.describe_schema")
def describe_schema() -> dict[str, str | None]:
    """Report the schema the task ran in and the Wagtail Site hostname found there."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("hostname").first()
    return {"schema": connection.schema_name, "site_hostname": site.hostname if site else None}
