"""Which site schemas are behind the code's migrations, and bringing them up to date.

The migrations a site schema should have are read from disk once (the apps of
``TENANT_APPS``); what each schema has applied is read from its ``django_migrations`` table,
for a couple of hundred schemas per query, so the console can show a thousand sites without
a thousand round trips.  ``migrate_behind`` (run by the worker for the console, one schema at
a time) records its progress in a ``SchemaMigrationRun``; a run that stops is resumed by
starting another, which reads again which schemas are still behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .models import JobState, SchemaMigrationRun, Tenant

logger = logging.getLogger(__name__)

SCHEMAS_PER_QUERY = 200
# A running run not saved for this long has lost its worker; another may resume.
STALE_RUN_SECONDS = 10 * 60


def tenant_app_labels() -> set[str]:
    labels = set()
    for config in apps.get_app_configs():
        for entry in settings.TENANT_APPS:
            if entry == config.name or entry.startswith(config.name + ".apps."):
                labels.add(config.label)
    return labels


def expected_migrations() -> list[str]:
    """``app.name`` of every migration a site schema should have applied, from disk."""
    labels = tenant_app_labels()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes if app in labels)


@dataclass
class SchemaStatus:
    """One site's schema: the migrations it lacks (empty: up to date), or no schema at all."""

    tenant: Tenant
    missing_schema: bool = False
    pending: list[str] = field(default_factory=list)

    @property
    def is_behind(self) -> bool:
        return self.missing_schema or bool(self.pending)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_statuses(tenants=None) -> list[SchemaStatus]:
    """The migration status of every site (or of ``tenants``), ordered by code."""
    tenants = list(tenants if tenants is not None else Tenant.objects.order_by("code"))
    expected = expected_migrations()
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        existing = {row[0] for row in cursor.fetchall()}
        pending: dict[str, list[str]] = {}
        present = [t.schema_name for t in tenants if t.schema_name in existing]
        for start in range(0, len(present), SCHEMAS_PER_QUERY):
            chunk = present[start : start + SCHEMAS_PER_QUERY]
            parts = [
                f"SELECT %s, ARRAY(SELECT m FROM expected EXCEPT "  # noqa: S608 - quoted names
                f"SELECT app || '.' || name FROM {_quote(schema)}.django_migrations ORDER BY 1)"
                for schema in chunk
            ]
            cursor.execute(
                "WITH expected AS (SELECT unnest(%s::text[]) AS m) "  # noqa: S608 - quoted names
                + " UNION ALL ".join(parts),
                [expected, *chunk],
            )
            pending.update({schema: list(missing) for schema, missing in cursor.fetchall()})
    return [
        SchemaStatus(
            tenant=t,
            missing_schema=t.schema_name not in existing,
            pending=pending.get(t.schema_name, []),
        )
        for t in tenants
    ]


def behind_schemas() -> list[str]:
    """Schema names of the sites whose schema exists but lacks migrations."""
    return [s.tenant.schema_name for s in schema_statuses() if s.pending and not s.missing_schema]


def active_run() -> SchemaMigrationRun | None:
    """The run in progress, if its worker is still alive."""
    cutoff = timezone.now() - timezone.timedelta(seconds=STALE_RUN_SECONDS)
    return (
        SchemaMigrationRun.objects.filter(
            state__in=[JobState.PENDING, JobState.RUNNING], heartbeat_at__gte=cutoff
        )
        .order_by("-created_at")
        .first()
    )


def migrate_behind(
    run: SchemaMigrationRun,
    migrate: Callable[[str], None] | None = None,
) -> SchemaMigrationRun:
    """Migrate every schema that is behind, one at a time, saving progress after each."""

    def default_migrate(schema: str) -> None:
        call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)

    migrate = migrate or default_migrate
    schemas = behind_schemas()
    run.state, run.total, run.done, run.failures = JobState.RUNNING, len(schemas), 0, {}
    run.save()
    for schema in schemas:
        run.current = schema
        run.save(update_fields=["current", "heartbeat_at"])
        try:
            migrate(schema)
        except Exception as exc:  # one schema failing does not stop the others
            logger.exception("migrating %s failed", schema)
            lines = str(exc).strip().splitlines() or [type(exc).__name__]
            run.failures[schema] = lines[0][:500]
        else:
            run.done += 1
        finally:
            connection.set_schema_to_public()
        run.save(update_fields=["done", "failures", "heartbeat_at"])
    run.current = ""
    run.state = JobState.FAILED if run.failures else JobState.DONE
    run.finished_at = timezone.now()
    run.save()
    return run
