"""Site merges, run by the worker (they copy files and read several sites' schemas)."""

from __future__ import annotations

import logging

from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger(__name__)


@shared_task(name="tasks.merges.run_site_merge", acks_late=True)
def run_site_merge(merge_id: int) -> str:
    """Carry out one queued merge; a duplicate or retried delivery finds it claimed and stops."""
    from tenants.merging import perform_merge
    from tenants.models import SiteMerge

    with schema_context(get_public_schema_name()):
        merge = SiteMerge.objects.filter(pk=merge_id).first()
    if merge is None:
        return "missing"
    try:
        merge = perform_merge(merge)
    except Exception:
        logger.exception("site merge %s failed", merge_id)
        return "failed"
    return merge.state
