"""Fan-out, the reconciliation sweep and retries: one task per (site, batch), from receipts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tenants.utils import schema_exists

from component_sites.core.enqueue import registered_task
from tenants.models import Tenant
from tenants.procedures.models import Procedure, SyndicationReceipt

from .copies import Item
from .targets import target_tenants

# The Celery task that applies one (site, batch), named, not imported (tasks.syndication).
APPLY_BATCH = "tasks.syndication.apply_procedure_batch"


def batch_size() -> int:
    return int(getattr(settings, "PROCEDURE_SYNDICATION_BATCH", 200))


def _chunks(items: list[Item], size: int) -> Iterable[list[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def queue_items(
    by_tenant: dict[int, list[Item]],
    enqueue: Callable[[int | None, str, list[Item]], None] | None = None,
) -> int:
    """Queue one task per (site, batch); returns the number of tasks."""
    if enqueue is None:

        def enqueue(tenant_id: int | None, schema: str, batch: list[Item]) -> None:
            registered_task(APPLY_BATCH).delay(tenant_id, schema, batch)

    schemas = dict(Tenant.objects.filter(pk__in=list(by_tenant)).values_list("pk", "schema_name"))
    tasks = 0
    for tenant_id, items in by_tenant.items():
        if tenant_id not in schemas:
            continue
        for batch in _chunks(sorted(set(items)), batch_size()):
            enqueue(tenant_id, schemas[tenant_id], [list(i) for i in batch])
            tasks += 1
    return tasks


def fan_out(procedure_ids: Sequence[int]) -> int:
    """Pending receipts for the current versions, then one task per (site, batch).

    Idempotent: existing receipts are kept, done ones are not queued again.  Province-wide
    procedures are also written into the template schemas of their levels (no receipt),
    so that a new site is cloned with them.  Returns the number of tasks queued.
    """
    by_tenant: dict[int, list[Item]] = defaultdict(list)
    by_template: dict[str, list[Item]] = defaultdict(list)
    procedures = list(Procedure.objects.filter(pk__in=list(procedure_ids)))
    for procedure in procedures:
        item = (procedure.pk, procedure.version)
        tenant_ids = list(target_tenants(procedure).values_list("pk", flat=True))
        SyndicationReceipt.objects.bulk_create(
            [
                SyndicationReceipt(tenant_id=t, procedure_id=procedure.pk, version=item[1])
                for t in tenant_ids
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        done = set(
            SyndicationReceipt.objects.filter(
                procedure=procedure, version=procedure.version, status="done"
            ).values_list("tenant_id", flat=True)
        )
        for tenant_id in tenant_ids:
            if tenant_id not in done:
                by_tenant[tenant_id].append(item)
        if not procedure.owner_id:
            for level in procedure.levels:
                template = settings.TENANT_TEMPLATE_SCHEMAS.get(level)
                if template:
                    by_template[template].append(item)
    tasks = queue_items(by_tenant)
    apply_procedure_batch = registered_task(APPLY_BATCH)

    for schema, items in by_template.items():
        if schema_exists(schema):
            for batch in _chunks(items, batch_size()):
                apply_procedure_batch.delay(None, schema, [list(i) for i in batch])
                tasks += 1
    for procedure in procedures:
        Procedure.objects.filter(pk=procedure.pk, fanned_out_version__lt=procedure.version).update(
            fanned_out_version=procedure.version
        )
    return tasks


def current_receipts() -> QuerySet[SyndicationReceipt]:
    """Receipts of each procedure's current version (older versions are superseded)."""
    return SyndicationReceipt.objects.filter(version=F("procedure__version"))


def requeue(receipts: QuerySet[SyndicationReceipt]) -> int:
    """Queue again the (site, procedure, version) of ``receipts``; set them pending."""
    by_tenant: dict[int, list[Item]] = defaultdict(list)
    receipts = receipts.exclude(tenant__status=Tenant.Status.ARCHIVED)
    rows = list(receipts.values_list("pk", "tenant_id", "procedure_id", "version"))
    for _pk, tenant_id, procedure_id, version in rows:
        by_tenant[tenant_id].append((procedure_id, version))
    SyndicationReceipt.objects.filter(pk__in=[r[0] for r in rows]).update(
        status="pending", updated_at=timezone.now()
    )
    return queue_items(by_tenant)


def retry_failed(procedure: Procedure | None = None, tenant: Tenant | None = None) -> int:
    """Queue again the failed receipts (of one procedure, one site, or all)."""
    receipts = current_receipts().filter(status="failed")
    if procedure is not None:
        receipts = receipts.filter(procedure=procedure)
    if tenant is not None:
        receipts = receipts.filter(tenant=tenant)
    return requeue(receipts)


def reconcile(older_than: timedelta = timedelta(minutes=5), include_failed: bool = False) -> dict:
    """The sweep: fan out what was never fanned out; queue again what stayed pending.

    Work lost by the broker (Redis restarted without persistence) or by a worker killed
    mid-task leaves receipts pending (or no receipts at all, if the fan-out itself was
    lost); this finds both.  Safe to run at any time: every step is idempotent.
    """
    lagging = list(
        Procedure.objects.filter(fanned_out_version__lt=F("version")).values_list("pk", flat=True)
    )
    fanned = fan_out(lagging) if lagging else 0
    stale = current_receipts().filter(status="pending", updated_at__lte=timezone.now() - older_than)
    if include_failed:
        stale = current_receipts().filter(
            Q(status="failed") | Q(status="pending", updated_at__lte=timezone.now() - older_than)
        )
    queued = requeue(stale)
    return {"fanned_out": len(lagging), "fan_out_tasks": fanned, "requeued_tasks": queued}
