"""Figures flow up: each site's automatic scoring figures, and the platform's probes.

The logic lives in ``tenants.scoring.metrics`` and ``tenants.scoring.probes``; these tasks
take ids only.  Computing a site's figures reads its own schema (and the procedure catalogue
and the probes in public) and upserts one ``MetricValue`` per metric in public: a retried
or duplicated task writes the same rows again.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from tenant_schemas_celery.task import TenantTask

logger = logging.getLogger(__name__)

RETRY_ON = (OperationalError, InterfaceError, DatabaseError, ConnectionError, TimeoutError)


class FiguresTask(TenantTask):
    """Late acknowledgement, retried with exponential backoff on database errors."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = RETRY_ON
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5


@shared_task(name="tasks.scoring.compute_site_figures", base=FiguresTask, ignore_result=True)
def compute_site_figures(period_id: int, tenant_id: int) -> int | None:
    """Compute and store every figure of one site for one open period; idempotent.

    Refuses quietly (logs, writes nothing, returns None) when the period is not open or the
    site is not one of its member sites.
    """
    from django.db import connection

    from tenants.scoring.metrics import compute_and_store

    connection.set_schema_to_public()
    stored = compute_and_store(period_id, tenant_id)
    if stored is None:
        logger.info(
            "figures of site %s for period %s not computed: period not open or not a member",
            tenant_id,
            period_id,
        )
    return stored


@shared_task(name="tasks.scoring.compute_period_figures", base=FiguresTask, ignore_result=True)
def compute_period_figures(period_id: int) -> int:
    """Stamp the request time and queue one ``compute_site_figures`` per member site."""
    from django.db import connection

    from tenants.scoring.compute import member_sites
    from tenants.scoring.metrics import mark_requested
    from tenants.scoring.models import Period

    connection.set_schema_to_public()
    period = Period.objects.select_related("province").filter(pk=period_id).first()
    if period is None or not period.is_open:
        logger.info("figures of period %s not computed: missing or not open", period_id)
        return 0
    sites = member_sites(period.province)
    mark_requested(period)
    for site in sites:
        compute_site_figures.delay(period.pk, site.pk)
    return len(sites)


@shared_task(name="tasks.scoring.refresh_open_periods", base=FiguresTask, ignore_result=True)
def refresh_open_periods() -> int:
    """Beat, nightly: recompute the figures of every open period that has started."""
    from django.db import connection
    from django.utils import timezone

    from tenants.scoring.models import Period

    connection.set_schema_to_public()
    ids = list(
        Period.objects.filter(
            status=Period.Status.OPEN, starts_on__lte=timezone.localdate()
        ).values_list("pk", flat=True)
    )
    for period_id in ids:
        compute_period_figures.delay(period_id)
    return len(ids)


@shared_task(name="tasks.scoring.probe_site", ignore_result=True, soft_time_limit=60)
def probe_site(tenant_id: int) -> dict | None:
    """Fetch one site's home page over HTTP and add the outcome to its row of the day.

    Not retried: a check that could not run is simply not counted (the next one comes
    within ``SITE_PROBE_INTERVAL_SECONDS``).
    """
    from django.db import connection

    from tenants.models import Tenant
    from tenants.scoring.probes import fetch, record, target_for

    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(pk=tenant_id, status=Tenant.Status.ACTIVE).first()
    if tenant is None:
        return None
    target = target_for(tenant)
    if target is None:
        logger.warning("site %s has no primary domain: not probed", tenant_id)
        return None
    result = fetch(target)
    record(tenant.pk, result)
    return {"ok": result.ok, "ms": result.elapsed_ms, "reason": result.reason}


@shared_task(name="tasks.scoring.probe_all_sites", ignore_result=True)
def probe_all_sites() -> int:
    """Beat, every ``SITE_PROBE_INTERVAL_SECONDS``: one probe per active site.

    A probe still queued when the next round starts is dropped (``expires``): a late check
    would measure the worker's backlog, not the site.
    """
    from django.db import connection

    from tenants.models import Tenant

    connection.set_schema_to_public()
    ids = list(
        Tenant.objects.filter(status=Tenant.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for tenant_id in ids:
        probe_site.apply_async((tenant_id,), expires=settings.SITE_PROBE_INTERVAL_SECONDS)
    return len(ids)
