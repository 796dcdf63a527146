"""The first start's template: a copy of the freshly migrated public schema, not a second
migration, and the same as the templates and sites cloned from a migrated one (tables,
columns, indexes, constraints, migrations recorded, content types, the editorial roles and
their permissions).  A clone names unique constraints ``<table>_<columns>_key`` where a
migration gave them another name: that holds for every cloned site already."""

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_exists

from tenants import first_template
from tenants.first_template import (
    control_plane_labels,
    template_from_public,
    unknown_control_plane_data,
    unknown_schema_sensitive_migrations,
)
from tenants.site_templates import template_schemas

pytestmark = pytest.mark.django_db

COPY = "tpl_test_copy"
# A template of the test session (ensure_template_schemas: migrated, then cloned).
MIGRATED = template_schemas()["commune"]


def _rows(sql: str, schema: str) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{s}", connection.ops.quote_name(schema)), [schema])
        return {tuple(row) for row in cursor.fetchall()}


TABLES = "SELECT table_name FROM information_schema.tables WHERE table_schema = %s"
COLUMNS = (
    "SELECT table_name, column_name, data_type, is_nullable, character_maximum_length "
    "FROM information_schema.columns WHERE table_schema = %s"
)
INDEXES = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s"
CONSTRAINTS = (
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE connamespace = %s::regnamespace"
)
MIGRATIONS = "SELECT app, name FROM {s}.django_migrations WHERE %s IS NOT NULL"
CONTENT_TYPES = "SELECT app_label, model FROM {s}.django_content_type WHERE %s IS NOT NULL"
GROUP_PERMISSIONS = (
    "SELECT g.name, ct.app_label, p.codename FROM {s}.auth_group_permissions gp "
    "JOIN {s}.auth_group g ON g.id = gp.group_id "
    "JOIN {s}.auth_permission p ON p.id = gp.permission_id "
    "JOIN {s}.django_content_type ct ON ct.id = p.content_type_id WHERE %s IS NOT NULL"
)
FUNCTIONS = "SELECT proname FROM pg_proc WHERE pronamespace = %s::regnamespace"


def _normalised(rows: set[tuple], schema: str) -> set[tuple]:
    return {tuple(str(v).replace(f"{schema}.", "S.") for v in row) for row in rows}


@pytest.fixture
def copy(sites):
    """The copy, made inside the test's transaction (rolled back with it); ``sites`` makes
    the session's migrated templates."""
    assert template_from_public(COPY)
    return COPY


def test_every_data_migration_is_accounted_for():
    """A new migration that writes data only on public, or that asks which schema it runs
    in, must be declared (PUBLIC_ONLY_ROWS / SITE_ONLY_MIGRATIONS) or the first start
    falls back to migrating the template: this says which one appeared."""
    assert unknown_control_plane_data() == []
    assert unknown_schema_sensitive_migrations() == []
    assert control_plane_labels() == {"tenants", "procedure_catalog", "scoring", "django_tenants"}


def _unnamed(rows: set[tuple], schema: str) -> set[tuple]:
    """Index rows (table, name, definition) and constraint rows without their names, casts
    and parentheses (a definition replayed from a dump is parsed again: PostgreSQL may print
    its casts otherwise, same meaning)."""
    found = set()
    for table, name, definition in _normalised(rows, schema):
        plain = definition.replace(f" {name} ON ", " ON ")
        plain = re.sub(r"[()]", "", re.sub(r"::[a-z ]+(\[\])?", "", plain))
        found.add((table.split(".")[-1], plain))
    return found


def test_the_copy_has_what_a_migrated_template_has(copy):
    for sql in (TABLES, COLUMNS, MIGRATIONS, CONTENT_TYPES):
        assert _normalised(_rows(sql, copy), copy) == _normalised(_rows(sql, MIGRATED), MIGRATED)
    # Index and constraint definitions (a dropped control-plane table takes no site FK along);
    # their names: see the next test.
    for sql in (INDEXES, CONSTRAINTS):
        assert _unnamed(_rows(sql, copy), copy) == _unnamed(_rows(sql, MIGRATED), MIGRATED)
    assert _rows(FUNCTIONS, copy) == set()
    tables = {row[0] for row in _rows(TABLES, copy)}
    assert "tenants_tenant" not in tables and "procedure_catalog_procedure" not in tables


@pytest.mark.xfail(
    strict=True,
    reason="template_from_public still copies public with clone_schema, which names unique "
    "constraints anew (core_counter_unique → core_storedcounter_kind_object_id_key); the "
    "other templates and the sites are pg_dump copies and keep the migrated names",
)
def test_the_copy_keeps_the_migrated_names(copy):
    for sql in (INDEXES, CONSTRAINTS):
        names = {(t.split(".")[-1], n) for t, n, _d in _rows(sql, copy)}
        assert names == {(t.split(".")[-1], n) for t, n, _d in _rows(sql, MIGRATED)}


def test_the_copy_gets_the_roles_of_a_migrated_template(copy):
    """The council's group stays in public; the roles' question permissions (granted by a
    migration that skips public) are there, once seeded as every template is."""
    from tenants.site_templates import seed_template

    seed_template(copy, "commune")
    groups = _rows("SELECT name FROM {s}.auth_group WHERE %s IS NOT NULL", copy)
    assert ("Hội đồng biên tập tỉnh",) not in groups
    assert _rows(GROUP_PERMISSIONS, copy) == _rows(GROUP_PERMISSIONS, MIGRATED)
    assert ("Biên tập viên", "participation", "answer_question") in _rows(GROUP_PERMISSIONS, copy)


def test_no_copy_when_it_would_not_be_a_migrated_template(monkeypatch):
    assert template_from_public(MIGRATED) is False  # an existing schema is left alone
    monkeypatch.setattr(
        first_template,
        "SITE_ONLY_MIGRATIONS",
        [m for m in first_template.SITE_ONLY_MIGRATIONS if m[0] != "participation"],
    )
    assert unknown_schema_sensitive_migrations() == ["participation.0006_question_state_machine"]
    assert template_from_public(COPY) is False
    assert not schema_exists(COPY)
