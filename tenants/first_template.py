"""The first template of a fresh install, copied from the just-migrated public schema.

The public schema, just migrated, already holds every tenant table (the tenant apps are
shared apps too), so the first template is a copy of it without the control plane's own
tables (:func:`template_from_public`) instead of a second migration, which cost as much as
public itself (about 20 s of CPU: Django renders the migration states, the SQL is a small
part).  ``prepare_platform`` uses it on an empty database.
"""

import inspect
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython, RunSQL
from django_tenants.clone import CloneSchema
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

# Data that a control-plane app's migration writes into a table every site also has
# (only in public: on a site's schema the router skips these migrations): removed from
# a template made from public.  A control-plane data migration not listed here makes
# the template be migrated the slow way instead (tests/tenants/test_first_start.py).
PUBLIC_ONLY_ROWS = {
    ("scoring", "0002_council_group"): [("auth_group", "name", "Hội đồng biên tập tỉnh")],
}
# Site migrations whose data step returns early on public ("the control plane has no
# editorial board"): run again on the copy, in this order (each is idempotent).  A site
# migration that asks which schema it runs in and is not listed here makes the template
# be migrated the slow way instead.
SITE_ONLY_MIGRATIONS = [
    ("editorial", "0002_editorial_roles"),
    ("editorial", "0003_retire_wagtail_default_groups"),
    ("participation", "0006_question_state_machine"),
]
SCHEMA_QUESTIONS = ("is_public_schema", "get_public_schema_name", "connection.schema_name")


@cache
def _disk_migrations() -> dict:
    """Every migration on disk, by (app label, name): read once per process (the three
    checks and the replay below all need them)."""
    return MigrationLoader(None, ignore_no_migrations=True).disk_migrations


def _app_label(entry: str) -> str:
    for config in apps.get_app_configs():
        if entry in (config.name, f"{type(config).__module__}.{type(config).__name__}"):
            return config.label
    raise LookupError(entry)


def control_plane_labels() -> set[str]:
    """Apps of the public schema only (``SHARED_APPS`` that are not ``TENANT_APPS``)."""
    tenant = {_app_label(entry) for entry in settings.TENANT_APPS}
    return {_app_label(entry) for entry in settings.SHARED_APPS} - tenant


def unknown_control_plane_data() -> list[str]:
    """Control-plane migrations that write data and are not in ``PUBLIC_ONLY_ROWS``."""
    labels = control_plane_labels()
    return sorted(
        f"{app}.{name}"
        for (app, name), migration in _disk_migrations().items()
        if app in labels
        and (app, name) not in PUBLIC_ONLY_ROWS
        and any(isinstance(op, RunPython | RunSQL) for op in migration.operations)
    )


def unknown_schema_sensitive_migrations() -> list[str]:
    """Site (tenant app) migrations of this project that ask which schema they run in
    and are not in ``SITE_ONLY_MIGRATIONS``."""
    root = Path(settings.BASE_DIR).resolve()
    tenant = {_app_label(entry) for entry in settings.TENANT_APPS}
    found = []
    for (app, name), migration in _disk_migrations().items():
        if app not in tenant or (app, name) in SITE_ONLY_MIGRATIONS:
            continue
        module = inspect.getmodule(migration)
        path = Path(inspect.getfile(module)).resolve()
        if root not in path.parents:
            continue  # third-party apps know nothing of schemas
        if any(question in path.read_text(encoding="utf-8") for question in SCHEMA_QUESTIONS):
            found.append(f"{app}.{name}")
    return sorted(found)


def _replay_site_only_migrations(schema: str) -> None:
    """The data steps of ``SITE_ONLY_MIGRATIONS``, run in ``schema`` with current models."""
    migrations = _disk_migrations()
    with schema_context(schema), connection.schema_editor() as editor:
        for key in SITE_ONLY_MIGRATIONS:
            for operation in migrations[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, editor)


def template_from_public(schema: str) -> bool:
    """Make the template ``schema`` as a copy of the freshly migrated public schema.

    The copy keeps what a migrated site schema has (every tenant table with its data,
    the same ``django_migrations`` rows) and loses what only public has: the control
    plane's tables, the rows its data migrations wrote (``PUBLIC_ONLY_ROWS``), the
    clone function django-tenants keeps in public, the schema's owner, comment and
    grants.  Returns False, changing nothing, when it cannot be done safely: the
    schema exists, or a control-plane migration writes data not accounted for.
    """
    public = get_public_schema_name()
    if schema_exists(schema) or unknown_control_plane_data():
        return False
    if unknown_schema_sensitive_migrations():
        return False
    tables = sorted(
        {
            model._meta.db_table
            for label in control_plane_labels()
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        }
    )
    connection.set_schema_to_public()
    with transaction.atomic(), connection.cursor() as cursor:
        CloneSchema().clone_schema(public, schema, "DATA")
        quoted = connection.ops.quote_name(schema)
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND c.relname = ANY(%s)",
            [schema, tables],
        )
        present = [row[0] for row in cursor.fetchall()]
        if present:
            cursor.execute(
                "DROP TABLE "
                + ", ".join(f"{quoted}.{connection.ops.quote_name(t)}" for t in present)
                + " CASCADE"
            )
        for rows in PUBLIC_ONLY_ROWS.values():
            for table, column, value in rows:
                # Names from PUBLIC_ONLY_ROWS, quoted; the value is a parameter.
                target = f"{quoted}.{connection.ops.quote_name(table)}"
                where = connection.ops.quote_name(column)
                cursor.execute(f"DELETE FROM {target} WHERE {where} = %s", [value])  # noqa: S608
                # Ids continue as in a migrated schema (no gap where the row was).
                last = "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL"
                sequence = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {last}) FROM {target}"  # noqa: S608
                cursor.execute(sequence, [target])
        # django-tenants' clone function and its types live in public: not in a site.
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "WHERE p.pronamespace = %s::regnamespace",
            [schema],
        )
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION {function} CASCADE")
        cursor.execute(
            "SELECT t.typname FROM pg_type t WHERE t.typnamespace = %s::regnamespace "
            "AND t.typtype IN ('e', 'c', 'd') AND t.typrelid = 0",
            [schema],
        )
        for (type_name,) in cursor.fetchall():
            cursor.execute(f"DROP TYPE {quoted}.{connection.ops.quote_name(type_name)} CASCADE")
        cursor.execute(f"ALTER SCHEMA {quoted} OWNER TO CURRENT_USER")
        cursor.execute(f"COMMENT ON SCHEMA {quoted} IS NULL")
        cursor.execute(
            "SELECT DISTINCT a.grantee::regrole::text FROM pg_namespace n, "
            "aclexplode(n.nspacl) a WHERE n.nspname = %s AND a.grantee <> 0 "
            "AND a.grantee <> n.nspowner",
            [schema],
        )
        for (role,) in cursor.fetchall():
            cursor.execute(f"REVOKE ALL ON SCHEMA {quoted} FROM {role}")
        cursor.execute(f"REVOKE ALL ON SCHEMA {quoted} FROM PUBLIC")
        _replay_site_only_migrations(schema)
    connection.set_schema_to_public()
    return True
