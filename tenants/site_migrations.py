"""Migrating a thousand site schemas in minutes: only the schemas behind, the work shared.

django-tenants runs Django's ``migrate`` once per schema, and each run loads the migration
graph from disk, replays every applied migration into a project state and renders its
models (one to two seconds, mostly CPU), then sends ``post_migrate`` — also for a schema
with nothing to apply.  Over a thousand schemas that is half an hour per deploy, nearly all
of it repeating the same computation: every site schema of an install is at the same point.

``SchemaMigrator`` does what Django's ``migrate`` does for one schema, with the graph, the
plan and the rendered state prepared once for every set of applied migrations it meets and
reused (a clone of the state, as ``migrate`` itself uses) for the next schema at that point.
Per schema what remains is what must be done there: the operations' SQL, the
``django_migrations`` rows, and the ``pre_migrate``/``post_migrate`` signals (content types,
permissions, Wagtail's reference index handlers).

``SitesExecutor`` is a django-tenants executor built on it (``migrate_schemas --tenant
--executor=sites``): it reads first which schemas lack migrations (``pending_by_schema``,
a couple of hundred schemas per query, as the console does), skips the others, and
migrates the rest in ``TENANT_MULTIPROCESSING_MAX_PROCESSES`` forked processes.  A schema
that fails is reported and the others go on; the command fails at the end, naming them.
Options other than a plain migration to the latest state (an app label, a target,
``--fake``, ``--plan``…) are passed to django-tenants' standard executor unchanged.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor as DjangoMigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ModelState
from django_tenants.migration_executors import get_executor as tenants_get_executor
from django_tenants.migration_executors.base import MigrationExecutor
from django_tenants.migration_executors.base import run_migrations as tenants_run_migrations
from django_tenants.signals import schema_migrated, schema_pre_migration
from django_tenants.utils import get_tenant_database_alias

# Options of migrate_schemas that ask for something else than "every migration, for real".
SPECIAL_OPTIONS = ("app_label", "migration_name", "fake", "fake_initial", "plan", "prune",
                   "check_unapplied", "run_syncdb")  # fmt: skip
SCHEMAS_PER_QUERY = 200


def tenant_app_labels() -> set[str]:
    labels = set()
    for config in global_apps.get_app_configs():
        for entry in settings.TENANT_APPS:
            if entry == config.name or entry.startswith(config.name + ".apps."):
                labels.add(config.label)
    return labels


def expected_migrations() -> list[str]:
    """``app.name`` of every migration a site schema should have applied, from disk."""
    labels = tenant_app_labels()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes if app in labels)


def first_line(exc: BaseException) -> str:
    """An error's first line (its type when it has no text), at most 500 characters."""
    lines = str(exc).strip().splitlines() or [type(exc).__name__]
    return lines[0][:500]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pending_by_schema(schemas: list[str]) -> dict[str, list[str]]:
    """For each of ``schemas`` that exists, the migrations it lacks (empty: up to date)."""
    expected = expected_migrations()
    connection.set_schema_to_public()
    pending: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        existing = {row[0] for row in cursor.fetchall()}
        present = [schema for schema in schemas if schema in existing]
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
    return pending


@dataclass
class _Prepared:
    """What Django's ``migrate`` computes for a schema, for one set of applied migrations."""

    loader: object
    targets: list
    plan: list
    state: object  # ProjectState with every applied migration, models rendered
    operations: dict = field(default_factory=dict)  # each planned migration's own operations
    post_apps: object = None  # the state's models after the plan, for post_migrate


class _SchemaRecorder(MigrationRecorder):
    """Django's recorder, asking for its table by name in the schema.

    Django lists every table of the search path to find ``django_migrations``; with
    django-tenants' introspection that reads the whole catalog (0.2 s at a thousand schemas,
    twice per schema migrated).
    """

    def has_table(self):
        if self._has_table:
            return True
        name = f"{_quote(self.connection.schema_name)}.{_quote(self.Migration._meta.db_table)}"
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            self._has_table = cursor.fetchone()[0]
        return self._has_table


class _SharedLoaderExecutor(DjangoMigrationExecutor):
    """Django's executor on a loader already built (for another schema at the same point)."""

    def __init__(self, connection, loader):
        self.connection = connection
        self.loader = loader
        self.recorder = _SchemaRecorder(connection)
        self.progress_callback = None


@dataclass
class SchemaResult:
    schema: str
    applied: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


class SchemaMigrator:
    """Brings site schemas to the code's migrations, reusing the work shared between them."""

    def __init__(self, database: str | None = None, verbosity: int = 0):
        self.alias = database or get_tenant_database_alias()
        self.verbosity = verbosity
        self._prepared: dict[frozenset, _Prepared] = {}

    @property
    def connection(self):
        return connections[self.alias]

    def _prepare(self, applied: frozenset) -> _Prepared:
        executor = DjangoMigrationExecutor(self.connection)
        loader = executor.loader
        loader.check_consistent_history(self.connection)
        conflicts = loader.detect_conflicts()
        if conflicts:
            names = "; ".join(f"{app}: {', '.join(sorted(n))}" for app, n in conflicts.items())
            raise CommandError(f"Conflicting migrations ({names}): run makemigrations --merge.")
        targets = loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
        if any(backwards for _migration, backwards in plan):
            raise CommandError("The schema is ahead of the code: a migration would be unapplied.")
        state = executor._create_project_state(with_applied_migrations=True)
        state.apps  # noqa: B018 - render the models once, here, not for every schema
        prepared = _Prepared(loader=loader, targets=targets, plan=plan, state=state)
        prepared.operations = {migration: list(migration.operations) for migration, _ in plan}
        self._prepared[applied] = prepared
        return prepared

    def migrate(self, schema: str) -> list[str]:
        """Apply to ``schema`` every migration it lacks; the names applied, in order."""
        connection = self.connection
        schema_pre_migration.send(tenants_run_migrations, schema_name=schema)
        # As django-tenants does: the schema's own django_migrations, never public's.
        connection.set_schema(schema, include_public=False)
        recorder = _SchemaRecorder(connection)
        recorder.ensure_schema()
        connection.set_schema(schema)
        try:
            applied = frozenset(recorder.applied_migrations())
            prepared = self._prepared.get(applied) or self._prepare(applied)
            executor = _SharedLoaderExecutor(connection, prepared.loader)
            plan = prepared.plan
            # contenttypes' pre_migrate handler inserts its rename operations into the planned
            # migrations: give it the migrations as loaded, as a fresh ``migrate`` would.
            for migration, operations in prepared.operations.items():
                migration.operations = list(operations)
            emit_pre_migrate_signal(
                self.verbosity, False, connection.alias,
                apps=prepared.state.apps, plan=plan,
            )  # fmt: skip
            state = executor.migrate(prepared.targets, plan=plan, state=prepared.state.clone())
            if prepared.post_apps is None:
                # The models after the plan, as ``migrate`` renders them for post_migrate; the
                # same for every schema at this point, so rendered once.
                state.clear_delayed_apps_cache()
                post_apps = state.apps
                with post_apps.bulk_update():
                    keys = []
                    for model_state in post_apps.real_models:
                        keys.append((model_state.app_label, model_state.name_lower))
                        post_apps.unregister_model(*keys[-1])
                post_apps.render_multiple(
                    [ModelState.from_model(global_apps.get_model(*key)) for key in keys]
                )
                prepared.post_apps = post_apps
            emit_post_migrate_signal(
                self.verbosity, False, connection.alias, apps=prepared.post_apps, plan=plan,
            )  # fmt: skip
        finally:
            connection.set_schema_to_public()
        schema_migrated.send(tenants_run_migrations, schema_name=schema)
        return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]

    def migrate_reporting(self, schema: str) -> SchemaResult:
        """``migrate`` that returns a failure instead of raising it (the others go on)."""
        started = time.perf_counter()
        result = SchemaResult(schema)
        try:
            result.applied = self.migrate(schema)
        except Exception as exc:  # noqa: BLE001 - reported per schema, the run goes on
            result.error = f"{type(exc).__name__}: {first_line(exc)}"
            # A broken connection is not reused for the next schema (inside a transaction of
            # the caller's, Django has rolled the migration back to its savepoint).
            if not self.connection.in_atomic_block:
                self.connection.close()
        result.seconds = time.perf_counter() - started
        return result


_WORKER: SchemaMigrator | None = None


def _start_worker(database: str, verbosity: int) -> None:
    global _WORKER
    # The parent's connections were closed before forking; each worker opens its own.
    _WORKER = SchemaMigrator(database, verbosity)


def _migrate_in_worker(schema: str) -> SchemaResult:
    assert _WORKER is not None
    return _WORKER.migrate_reporting(schema)


def migrate_schemas(
    schemas: list[str],
    processes: int = 1,
    database: str | None = None,
    verbosity: int = 0,
    report=None,
) -> list[SchemaResult]:
    """Migrate ``schemas`` (each to the latest state) with ``processes`` forked workers.

    ``report(index, total, result)`` is called in this process as each schema finishes.
    """
    database = database or get_tenant_database_alias()
    results: list[SchemaResult] = []
    total = len(schemas)

    def done(result: SchemaResult) -> None:
        results.append(result)
        if report:
            report(len(results), total, result)

    if processes <= 1 or total <= 1:
        migrator = SchemaMigrator(database, verbosity)
        for schema in schemas:
            done(migrator.migrate_reporting(schema))
        return results
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(min(processes, total), _start_worker, (database, verbosity)) as pool:
        for result in pool.imap_unordered(_migrate_in_worker, schemas):
            done(result)
    return results


class SitesExecutor(MigrationExecutor):
    """``migrate_schemas --executor=sites``: the site schemas behind, in parallel, shared work."""

    codename = "sites"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        standard = tenants_get_executor("standard")(self.args, self.options)
        if self.PUBLIC_SCHEMA_NAME in tenants:
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
            standard.run_migrations(tenants=[self.PUBLIC_SCHEMA_NAME])
        if not tenants:
            return
        if any(self.options.get(option) for option in SPECIAL_OPTIONS):
            standard.run_migrations(tenants=tenants)
            return
        verbosity = int(self.options.get("verbosity", 1))
        write = sys.stdout.write
        pending = pending_by_schema(tenants)
        behind = [schema for schema in tenants if pending.get(schema)]
        if verbosity >= 1:
            write(f"[sites] {len(tenants) - len(behind)} of {len(tenants)} schemas up to date; "
                  f"{len(behind)} to migrate\n")  # fmt: skip
        processes = getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)

        def report(index: int, total: int, result: SchemaResult) -> None:
            if verbosity < 1:
                return
            prefix = f"[{index}/{total} ({100 * index // total}%) sites:{result.schema}]"
            if result.error:
                write(f"{prefix} FAILED: {result.error}\n")
            else:
                applied = ", ".join(result.applied) or "nothing to apply"
                write(f"{prefix} === Migrated: {applied} ({result.seconds:.2f} s)\n")
            sys.stdout.flush()

        results = migrate_schemas(
            behind, processes=processes, database=self.options.get("database"),
            verbosity=max(verbosity - 1, 0), report=report,
        )  # fmt: skip
        failed = [r for r in results if r.error]
        if failed:
            names = ", ".join(r.schema for r in failed[:20])
            more = f" and {len(failed) - 20} more" if len(failed) > 20 else ""
            raise CommandError(f"{len(failed)} of {len(behind)} schemas failed: {names}{more}")

    def run_multi_type_migrations(self, tenants):
        tenants_get_executor("standard")(self.args, self.options).run_multi_type_migrations(tenants)


def get_executor(codename=None):
    """``GET_EXECUTOR_FUNCTION``: this module's executor, or one of django-tenants' own."""
    if codename == SitesExecutor.codename:
        return SitesExecutor
    return tenants_get_executor(codename)
