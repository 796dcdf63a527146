"""Site merges, run by the worker (they copy files and read several sites' schemas).

``acks_late`` + ``reject_on_worker_lost``: a merge whose worker process dies is delivered
again (at once when a pool child dies; after the broker's visibility timeout when the whole
worker dies, unless the job sweep has queued it again first).  Redelivery is safe: the
merge runs under an advisory lock and a lease (``tenants.jobs``), starts over after
deleting the files of the dead attempt, and gives up after ``JOB_MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger(__name__)


@shared_task(name="tasks.merges.run_site_merge", acks_late=True, reject_on_worker_lost=True)
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
