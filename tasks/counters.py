"""Counters flow from Redis into each site's schema (views, downloads, later visits).

Beat runs ``flush_all_counters`` in public; it enqueues one ``flush_site_counters`` per site
with pending increments.  Each runs in its site's schema and is idempotent: see
``component_sites.core.counters`` for how a retried flush avoids counting twice.
"""

from __future__ import annotations

import logging

import redis
from celery import shared_task
from django.db import OperationalError, connection
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core import counter_flush, counters

logger = logging.getLogger(__name__)


@shared_task(
    name="tasks.counters.flush_site_counters",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(
        OperationalError,
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
    ),
    retry_backoff=True,
    max_retries=5,
)
def flush_site_counters(schema_name: str) -> int:
    """Persist one site's pending counter increments; retried on database/Redis outages."""
    from tenants.models import Tenant

    with schema_context(get_public_schema_name()):
        known = Tenant.objects.filter(schema_name=schema_name).exists()
    if not known:
        # The site was deleted: its increments have nowhere to go.
        client = counters.client()
        client.delete(counters.pending_key(schema_name), counters.flushing_key(schema_name))
        client.srem(counters.DIRTY_SITES, schema_name)
        logger.warning("counters of unknown site %s dropped", schema_name)
        return 0
    with schema_context(schema_name):
        applied = counter_flush.flush_site(schema_name)
        counter_flush.forget_old_batches()
    return applied


@shared_task(name="tasks.counters.flush_all_counters")
def flush_all_counters() -> int:
    """Scheduled by beat: one flush task per site with pending increments."""
    connection.set_schema_to_public()
    schemas = counter_flush.dirty_sites()
    for schema_name in schemas:
        flush_site_counters.delay(schema_name)
    return len(schemas)
