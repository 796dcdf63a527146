"""Keeping the pool of ready site schemas filled (``tenants.schema_pool``)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="tasks.schema_pool.refill_schema_pool", ignore_result=True)
def refill_schema_pool() -> dict[str, dict[str, int] | bool]:
    """Top every level's pool up to ``SITE_SCHEMA_POOL_SIZE``; idempotent, one refill at a time.

    Queued after a site takes a schema, and by beat every minute (which also replaces clones
    of a template that changed).  Nothing to retry: the next run does what this one missed.
    """
    from tenants.schema_pool import refill_pool

    report = refill_pool()
    return {
        "created": report.created,
        "dropped": report.dropped,
        "ready": report.ready,
        "skipped": report.skipped,
    }
