"""Long jobs on the worker: catalogue imports, and the sweep that recovers jobs whose
worker died (see ``tenants.jobs``)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="tasks.jobs.run_procedure_import", acks_late=True, reject_on_worker_lost=True)
def run_procedure_import(import_id: int) -> str:
    """Validate and import one uploaded catalogue file (one transaction, with progress)."""
    from tenants.procedures.imports import perform_import

    job = perform_import(import_id)
    return job.state if job is not None else "missing"


@shared_task(name="tasks.jobs.sweep_stale_jobs", ignore_result=True)
def sweep_stale_jobs() -> dict:
    """Beat, every minute: jobs whose worker died are rolled back and queued again or failed."""
    from tenants.jobs import sweep_stale_jobs as sweep

    result = sweep()
    return {"requeued": result.requeued, "failed": result.failed, "resent": result.resent}
