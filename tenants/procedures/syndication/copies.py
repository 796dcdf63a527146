"""Procedures flow down: versions, fan-out, idempotent upserts into each site, receipts.

What a site holds is decided here; ``tasks.syndication`` only wraps these functions in
Celery tasks.  Everything is keyed by (procedure, version):

- a change to a master record that reaches the citizens makes a new ``ProcedureVersion``;
- the fan-out writes a *pending* receipt for each target site, then queues one task per
  (site, batch);
- a task upserts the copies in the site's schema with one ``INSERT … ON CONFLICT (code)
  DO UPDATE … WHERE copy.version < new.version``: a retried, duplicated or late task
  changes nothing, and local fields are never in the update;
- then it marks the receipts *done* in public.  Receipts are the truth the reconciliation
  sweep works from: whatever the broker or a worker lost is found and queued again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists
from psycopg2.extras import Json, execute_values

from component_sites.core.enqueue import enqueue as queue_task
from component_sites.core.enqueue import registered_task
from component_sites.procedures.models import (
    ARRAY_FIELDS,
    JSON_FIELDS,
    LOCAL_FIELDS,
    MASTER_FIELDS,
    SYNDICATED_FIELDS,
)
from tenants.models import Tenant
from tenants.procedures.models import Procedure, ProcedureVersion, SyndicationReceipt
from tenants.procedures.text import fold

# The Celery tasks that run this module's work (tasks.syndication), named, not imported:
# background work calls domain code, never the reverse.
FAN_OUT = "tasks.syndication.fan_out_procedures"
APPLY_BATCH = "tasks.syndication.apply_procedure_batch"

logger = logging.getLogger(__name__)

COPY_TABLE = "procedures_procedurecopy"

Item = tuple[int, int]  # (procedure id, version)


def batch_size() -> int:
    return int(getattr(settings, "PROCEDURE_SYNDICATION_BATCH", 200))


def snapshot(procedure: Procedure) -> dict[str, Any]:
    """What the sites receive of ``procedure`` (its version number excluded)."""
    data: dict[str, Any] = {name: getattr(procedure, name) for name in SYNDICATED_FIELDS}
    data["levels"] = list(data["levels"])
    data["methods"] = list(data["methods"])
    data["origin"] = procedure.owner.name if procedure.owner_id else ""
    data["forms"] = [
        {
            "id": form.pk,
            "title": form.title,
            "path": form.file.name,
            "filename": form.filename,
            "sha256": form.sha256,
            "size": form.size,
        }
        for form in procedure.forms.order_by("pk")
    ]
    return data


def record_version(procedure: Procedure, user=None, queue: bool = True) -> ProcedureVersion | None:
    """Make a new version if what the sites receive changed; queue its fan-out on commit.

    Call inside a transaction, after saving ``procedure`` (and its forms).  Returns the
    new version, or None when nothing the sites see has changed.
    """
    locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
    data = snapshot(locked)
    latest = locked.versions.order_by("-version").first()
    if latest is not None and latest.data == data:
        return None
    number = latest.version + 1 if latest else 1
    Procedure.objects.filter(pk=locked.pk).update(version=number, updated_at=timezone.now())
    procedure.version = number
    created = ProcedureVersion.objects.create(
        procedure=locked,
        version=number,
        data=data,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if queue:
        transaction.on_commit(lambda: queue_fan_out([locked.pk]))
    return created


def queue_fan_out(procedure_ids: Sequence[int]) -> None:
    """Queue the fan-out of the current versions of ``procedure_ids`` (from public)."""
    # With the broker down the versions are already saved: the sweep (reconcile, every five
    # minutes) sends what a site lacks once the broker is back.
    with schema_context(get_public_schema_name()):
        queue_task(FAN_OUT, list(procedure_ids))


# --- who receives what ---------------------------------------------------------------


def _descendant_ids(root_id: int) -> set[int]:
    found: set[int] = set()
    frontier = {root_id}
    while frontier:
        frontier = set(Tenant.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier -= found
        found |= frontier
    return found


def target_tenants(procedure: Procedure) -> QuerySet[Tenant]:
    """The sites that hold a copy: those of a matching level under the procedure's owner.

    A province-wide procedure goes to every site of its levels; a district's own
    procedure to the district (if listed for its level) and its communes.
    """
    # An archived site (a merged one above all) is read-only: it receives nothing more.
    sites = Tenant.objects.filter(level__in=list(procedure.levels)).exclude(
        status=Tenant.Status.ARCHIVED
    )
    if procedure.owner_id:
        sites = sites.filter(pk__in={procedure.owner_id, *_descendant_ids(procedure.owner_id)})
    return sites


def procedures_for_tenant(tenant: Tenant) -> QuerySet[Procedure]:
    """Every master record ``tenant`` should hold (withdrawn ones as withdrawn copies)."""
    ancestors: list[int] = []
    node = tenant
    while node is not None:
        ancestors.append(node.pk)
        node = node.parent
    return Procedure.objects.filter(levels__contains=[tenant.level]).filter(
        Q(owner__isnull=True) | Q(owner_id__in=ancestors)
    )


# --- writing copies ------------------------------------------------------------------


def upsert_copies(schema_name: str, versions: Iterable[ProcedureVersion]) -> int:
    """Write ``versions`` into ``schema_name``'s copies; returns how many rows changed.

    A copy at the same or a newer version is left as it is; local columns are never
    overwritten.
    """
    now = timezone.now()
    rows = []
    for row in versions:
        data = row.data
        rows.append(
            (
                *(_column_value(name, data) for name in SYNDICATED_FIELDS),
                row.procedure_id,
                row.version,
                Json(data.get("forms", [])),
                data.get("origin", ""),
                fold(f"{data['code']} {data['name']} {data['field']} {data['agency']}"),
                now,
                "",
                "",
                "",
                "",
            )
        )
    if not rows:
        return 0
    columns = MASTER_FIELDS + LOCAL_FIELDS
    table = f'"{schema_name}".{COPY_TABLE}'
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in MASTER_FIELDS if c != "code")
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s "  # noqa: S608 - fixed names
        f"ON CONFLICT (code) DO UPDATE SET {updates} "
        f"WHERE {COPY_TABLE}.version < EXCLUDED.version"
    )
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=500)
        return cursor.cursor.rowcount


def _column_value(name: str, data: dict[str, Any]) -> Any:
    """One syndicated column of a version (versions made before a field existed lack it)."""
    if name in JSON_FIELDS:
        return Json(data.get(name) or [])
    if name in ARRAY_FIELDS:
        return list(data.get(name) or [])
    return data.get(name, "")


def _versions(items: Iterable[Item]) -> list[ProcedureVersion]:
    wanted = Q()
    any_item = False
    for procedure_id, version in items:
        wanted |= Q(procedure_id=procedure_id, version=version)
        any_item = True
    if not any_item:
        return []
    return list(ProcedureVersion.objects.filter(wanted))


def apply_batch(tenant_id: int | None, schema_name: str, items: Sequence[Item]) -> int:
    """Apply ``items`` to one site (or a template schema, ``tenant_id`` None); idempotent.

    Reads the versions from public, upserts the copies in the site's schema, then marks
    the receipts done.  A crash between the two leaves pending receipts, which the
    sweep queues again; re-applying changes nothing.
    """
    with schema_context(get_public_schema_name()):
        if (
            tenant_id is not None
            and Tenant.objects.filter(pk=tenant_id, status=Tenant.Status.ARCHIVED).exists()
        ):
            # Queued before the site was merged or archived: its schema is read-only now.
            return 0
        versions = _versions(items)
    if not schema_exists(schema_name):
        raise LookupError(f"schema {schema_name!r} does not exist")
    with schema_context(schema_name), transaction.atomic():
        changed = upsert_copies(schema_name, versions)
        if changed:
            from component_sites.core.page_cache import purge_site

            # The site's procedure pages show the new versions at once.
            transaction.on_commit(lambda: purge_site(schema_name))
    if tenant_id is not None:
        with schema_context(get_public_schema_name()):
            _mark(tenant_id, [(v.procedure_id, v.version) for v in versions], "done", "")
    return changed


def _mark(tenant_id: int, items: Sequence[Item], status: str, error: str) -> None:
    now = timezone.now()
    SyndicationReceipt.objects.bulk_create(
        [
            SyndicationReceipt(
                tenant_id=tenant_id,
                procedure_id=procedure_id,
                version=version,
                status=status,
                error=error,
                attempts=1,
                updated_at=now,
            )
            for procedure_id, version in items
        ],
        update_conflicts=True,
        unique_fields=["tenant", "procedure", "version"],
        update_fields=["status", "error", "updated_at"],
        batch_size=1000,
    )
    if status == "failed":
        SyndicationReceipt.objects.filter(
            tenant_id=tenant_id,
            procedure_id__in=[p for p, _ in items],
        ).filter(version__in={v for _, v in items}).update(attempts=F("attempts") + 1)


def mark_failed(tenant_id: int | None, items: Sequence[Item], error: str) -> None:
    """Record a final failure (after Celery's retries) on the receipts of ``items``."""
    if tenant_id is None:
        return
    with schema_context(get_public_schema_name()):
        # A receipt already done (an earlier duplicate succeeded) stays done.
        done = set(
            SyndicationReceipt.objects.filter(
                tenant_id=tenant_id, status="done", procedure_id__in=[p for p, _ in items]
            ).values_list("procedure_id", "version")
        )
        remaining = [item for item in items if tuple(item) not in done]
        if remaining:
            _mark(tenant_id, remaining, "failed", error[:2000])


# --- fan-out, sweep, retries ---------------------------------------------------------


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


def missing_items(schema_name: str, procedures: QuerySet[Procedure]) -> list[Item]:
    """(procedure, version) of ``procedures`` that ``schema_name`` lacks or holds older."""
    wanted = dict(procedures.values_list("code", "version"))
    ids = dict(procedures.values_list("code", "pk"))
    with schema_context(schema_name), connection.cursor() as cursor:
        cursor.execute(f'SELECT code, version FROM "{schema_name}".{COPY_TABLE}')  # noqa: S608
        held = dict(cursor.fetchall())
    return [
        (ids[code], version)
        for code, version in wanted.items()
        if held.get(code) is None or held[code] < version
    ]


def sync_site(tenant: Tenant) -> int:
    """Bring one site to the current version of everything it should hold, inline.

    Used while provisioning (inside its transaction): the template the site was cloned
    from already carries the province-wide set, so usually only the parent district's
    own procedures and anything newer than the template are written here.  Receipts
    for every current version are recorded as done.
    """
    procedures = procedures_for_tenant(tenant)
    items = missing_items(tenant.schema_name, procedures)
    if items:
        with schema_context(get_public_schema_name()):
            versions = _versions(items)
        with schema_context(tenant.schema_name):
            upsert_copies(tenant.schema_name, versions)
    with schema_context(get_public_schema_name()):
        _mark(tenant.pk, list(procedures.values_list("pk", "version")), "done", "")
    return len(items)


def sync_template(level: str) -> int:
    """Bring a level's template schema up to the province-wide set (no receipts)."""
    schema = settings.TENANT_TEMPLATE_SCHEMAS.get(level)
    if not schema or not schema_exists(schema):
        return 0
    procedures = Procedure.objects.filter(owner__isnull=True, levels__contains=[level])
    items = missing_items(schema, procedures)
    if items:
        with schema_context(get_public_schema_name()):
            versions = _versions(items)
        with schema_context(schema), transaction.atomic():
            upsert_copies(schema, versions)
    return len(items)
