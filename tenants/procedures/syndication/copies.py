"""Writing copies into a site's schema: idempotent upserts keyed by code and version, receipts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists
from psycopg2.extras import Json, execute_values

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

from .targets import procedures_for_tenant

COPY_TABLE = "procedures_procedurecopy"


Item = tuple[int, int]  # (procedure id, version)


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
