"""Site schemas migrated by ``tenants.site_migrations``: only those behind, the work shared.

A real migration is taken back in some site schemas (django-tenants' standard executor runs
``documents`` backwards to 0002, dropping the column 0003 adds), then brought forward again.
The committed tests work outside pytest-django's transaction, as the forked workers need, and
put every schema back up to date whatever happens.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tenants.models import Tenant
from tenants.schema_status import behind_schemas, schema_statuses
from tenants.site_migrations import SchemaMigrator

APP, BEFORE, TAKEN_BACK = (
    "documents",
    "0002_promote_documents_sections",
    "0003_legal_document_expiry_date",
)
TABLE, COLUMN = "documents_legaldocumentpage", "expiry_date"


def take_back(schema: str) -> None:
    """Unapply ``documents.0003`` in ``schema`` (drops its column), with the standard executor."""
    call_command(
        "migrate_schemas", APP, BEFORE, schema_name=schema, executor="standard",
        interactive=False, verbosity=0,
    )  # fmt: skip
    assert not has_column(schema)


def has_column(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s AND column_name = %s",
            [schema, TABLE, COLUMN],
        )
        return cursor.fetchone() is not None


def recorded(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{schema}".django_migrations WHERE app = %s AND name = %s',  # noqa: S608
            [APP, TAKEN_BACK],
        )
        return cursor.fetchone()[0] == 1


@pytest.fixture
def committed(sites, django_db_blocker):
    """Committed changes; every schema brought back up to date afterwards."""
    with django_db_blocker.unblock():
        try:
            yield sites
        finally:
            connection.set_schema_to_public()
            for schema in behind_schemas():
                if has_column(schema) and not recorded(schema):  # added by hand by a test
                    with connection.cursor() as cursor:
                        cursor.execute(f"ALTER TABLE {schema}.{TABLE} DROP COLUMN {COLUMN}")
                call_command(
                    "migrate_schemas", schema_name=schema, executor="standard",
                    interactive=False, verbosity=0,
                )  # fmt: skip
            assert behind_schemas() == []


def test_only_the_schemas_behind_are_migrated_in_two_processes(committed, capsys, settings):
    settings.TENANT_MULTIPROCESSING_MAX_PROCESSES = 2
    behind = [committed.commune.schema_name, committed.direct_commune.schema_name]
    for schema in behind:
        take_back(schema)
    total = Tenant.objects.count()
    assert sorted(behind_schemas()) == sorted(behind)

    call_command("migrate_schemas", tenant=True, executor="sites", interactive=False, verbosity=1)

    out = capsys.readouterr().out
    assert f"[sites] {total - 2} of {total} schemas up to date; 2 to migrate" in out
    for schema in behind:
        assert f"sites:{schema}] === Migrated: {APP}.{TAKEN_BACK}" in out
        assert has_column(schema) and recorded(schema)
    assert out.count("=== Migrated") == 2
    assert [s.tenant.code for s in schema_statuses() if s.is_behind] == []


def test_nothing_to_apply_touches_no_schema(committed, capsys):
    call_command("migrate_schemas", tenant=True, executor="sites", interactive=False, verbosity=1)
    total = Tenant.objects.count()
    out = capsys.readouterr().out
    assert f"[sites] {total} of {total} schemas up to date; 0 to migrate" in out
    assert "=== Migrated" not in out


def test_a_schema_that_fails_is_named_and_the_others_are_migrated(committed, capsys, settings):
    settings.TENANT_MULTIPROCESSING_MAX_PROCESSES = 2
    broken, fine = committed.commune.schema_name, committed.direct_commune.schema_name
    for schema in (broken, fine):
        take_back(schema)
    with connection.cursor() as cursor:  # the column 0003 adds is there already, by hand
        cursor.execute(f"ALTER TABLE {broken}.{TABLE} ADD COLUMN {COLUMN} text")

    with pytest.raises(CommandError, match=f"1 of 2 schemas failed: {broken}$"):
        call_command(
            "migrate_schemas", tenant=True, executor="sites", interactive=False, verbosity=1
        )

    out = capsys.readouterr().out
    assert f'sites:{broken}] FAILED: ProgrammingError: column "{COLUMN}"' in out
    assert has_column(fine) and recorded(fine)
    assert not recorded(broken)  # the failed migration left no row: it is still behind
    assert behind_schemas() == [broken]


def test_prepare_platform_migrates_the_sites_behind(committed, capsys):
    schema = committed.district.schema_name
    take_back(schema)
    out = io.StringIO()
    call_command("prepare_platform", stdout=out)
    assert f"[1/1] migrate {schema}: {APP}.{TAKEN_BACK}" in out.getvalue()
    assert has_column(schema) and recorded(schema)


def test_an_app_label_or_target_is_left_to_the_standard_executor(committed):
    schema = committed.commune.schema_name
    call_command(
        "migrate_schemas", APP, BEFORE, schema_name=schema, executor="sites",
        interactive=False, verbosity=0,
    )  # fmt: skip
    assert not has_column(schema) and not recorded(schema)  # backwards: not this module's path


def test_an_unknown_schema_is_refused_and_nothing_runs(committed):
    with pytest.raises(RuntimeError, match='Schema "khong_co" does not exist'):
        call_command(
            "migrate_schemas", schema_name="khong_co", executor="sites",
            interactive=False, verbosity=0,
        )  # fmt: skip
    assert behind_schemas() == []


@pytest.mark.django_db
def test_schemas_at_the_same_point_share_one_preparation(sites, monkeypatch):
    """The migration state is computed once, for the first schema; the second reuses a clone."""
    schemas = [sites.commune.schema_name, sites.direct_commune.schema_name]
    for schema in schemas:
        take_back(schema)
        connection.set_schema_to_public()
    states = []
    original = MigrationExecutor._create_project_state

    def counting(self, *args, **kwargs):
        states.append(self.connection.schema_name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(MigrationExecutor, "_create_project_state", counting)
    migrator = SchemaMigrator()
    applied = [migrator.migrate(schema) for schema in schemas]

    assert applied == [[f"{APP}.{TAKEN_BACK}"]] * 2
    assert states == [schemas[0]]  # the second schema did not replay the migrations again
    assert all(has_column(schema) and recorded(schema) for schema in schemas)
    # Up to date now: a third call applies nothing, with a new preparation for the new point.
    assert migrator.migrate(schemas[0]) == []
    assert len(migrator._prepared) == 2
