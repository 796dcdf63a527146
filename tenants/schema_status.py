"""Which site schemas are behind the code's migrations, and bringing them up to date.

The migrations a site schema should have (the apps of ``TENANT_APPS``, from disk) and what
each schema has applied (its ``django_migrations``, a couple of hundred schemas per query)
are compared by ``site_migrations.pending_by_schema``, so the console can show a thousand
sites without a thousand round trips.  ``migrate_behind`` (run by the worker for the
console, one schema at a time, with ``site_migrations.SchemaMigrator``) records its progress
in a ``SchemaMigrationRun``; a run that stops is resumed by starting another, which reads
again which schemas are still behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from .models import JobState, SchemaMigrationRun, Tenant
from .site_migrations import SchemaMigrator, first_line, pending_by_schema

logger = logging.getLogger(__name__)

# A running run not saved for this long has lost its worker; another may resume.
STALE_RUN_SECONDS = 10 * 60


@dataclass
class SchemaStatus:
    """One site's schema: the migrations it lacks (empty: up to date), or no schema at all."""

    tenant: Tenant
    missing_schema: bool = False
    pending: list[str] = field(default_factory=list)

    @property
    def is_behind(self) -> bool:
        return self.missing_schema or bool(self.pending)


def schema_statuses(tenants=None) -> list[SchemaStatus]:
    """The migration status of every site (or of ``tenants``), ordered by code."""
    tenants = list(tenants if tenants is not None else Tenant.objects.order_by("code"))
    pending = pending_by_schema([t.schema_name for t in tenants])
    return [
        SchemaStatus(
            tenant=t,
            missing_schema=t.schema_name not in pending,
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

    if migrate is None:
        # One migrator for the whole run: the schemas share its prepared plan and state.
        migrate = SchemaMigrator().migrate
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
            run.failures[schema] = first_line(exc)
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
