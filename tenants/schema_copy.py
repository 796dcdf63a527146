"""Copying a template schema into a new site schema, in a time flat in the number of schemas.

django-tenants' ``clone_schema`` (a PL/pgSQL function from pg-clone-schema) asks
``information_schema`` views (columns, tables, role_table_grants…) about every table it
copies; those views read the catalogs of every schema, so each clone costs more as sites
accumulate (2.65 → 5.31 s a site between 10 and 283 schemas, BENCHMARKS.md).  It also names
some constraints anew (``core_counter_unique`` becomes ``core_storedcounter_kind_object_id_key``),
so a later migration naming the constraint would fail on every cloned site.

Here a template's definition is read **once per template state** (``template_fingerprint``):
``pg_dump --schema-only`` of that one schema, split by ``pg_restore`` into what comes before
the data (tables, sequences, defaults) and after (primary keys, unique and foreign keys,
indexes, triggers), kept in ``TemplateDDL`` in the public schema.  A new schema is then, in
one transaction: ``CREATE SCHEMA``, the first part replayed with the schema name substituted,
``INSERT … SELECT`` of every table of the template, ``setval`` of every sequence, the second
part.  Nothing in it reads another schema's catalog rows, and pg_dump keeps every name.

Substitution: pg_dump writes every object name qualified (``tpl_commune.core_counter``,
``nextval('tpl_commune.x_id_seq'::regclass)``).  Only qualified names are replaced; the dump
is refused (``CopyUnavailable``) if the template's name is then still present anywhere, so a
name or literal the substitution does not understand never reaches a site.

Where this cannot be used, django-tenants' ``clone_schema`` is the fallback
(:func:`copy_or_clone`): no ``pg_dump``/``pg_restore`` of the server's major version on the
machine, a dump that fails, a template the substitution refuses, or ``SCHEMA_COPY_FROM_DUMP``
turned off.  Grants and owners are not copied (the platform's schemas have none of their own).
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
import threading
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from .pg_client import find_client, pg_env

logger = logging.getLogger(__name__)

MARKER = "__portal_schema_copy__"


class CopyUnavailable(Exception):
    """The template cannot be copied from a dump (see the module docstring); clone instead."""


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def template_fingerprint(template: str) -> str:
    """What a copy of ``template`` would contain, as one hash: migrations applied and seed.

    The seed part covers what ``seed_template`` writes (pages, roles, workflows); the
    procedures syndicated into a template are brought up to date at provisioning anyway.
    """
    schema = quote(template)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(concat_ws('|', "  # noqa: S608 - schema name quoted, from settings
            f"(SELECT string_agg(app || '.' || name, ',' ORDER BY app, name) "
            f"FROM {schema}.django_migrations), "
            f"(SELECT string_agg(concat_ws(':', id, path, title, live, draft_title), ',' "
            f"ORDER BY id) FROM {schema}.wagtailcore_page), "
            f"(SELECT string_agg(name, ',' ORDER BY name) FROM {schema}.auth_group), "
            f"(SELECT string_agg(concat_ws(':', id, name, active), ',' ORDER BY id) "
            f"FROM {schema}.wagtailcore_workflow), "
            f"(SELECT string_agg(concat_ws(':', id, hostname, root_page_id), ',' ORDER BY id) "
            f"FROM {schema}.wagtailcore_site)))"
        )
        return cursor.fetchone()[0]


# --- reading a template once ----------------------------------------------------------

_SESSION_LINE = re.compile(r"^(SET |SELECT pg_catalog\.set_config\()")
_SCHEMA_STATEMENT = re.compile(r"^(CREATE|COMMENT ON|ALTER) SCHEMA ", re.MULTILINE)


def _qualified(template: str) -> re.Pattern:
    """``template.`` or ``"template".`` as a qualifier, not inside another identifier."""
    spelled = re.escape(template) + "|" + re.escape(quote(template))
    return re.compile(rf'(?<![\w"$.])(?:{spelled})\.')


def substitute(sql: str, template: str) -> str:
    """The dump's SQL with ``template``'s qualified names replaced by the marker.

    Raises ``CopyUnavailable`` when the marker already occurs or the template's name is
    still present after the substitution.
    """
    if MARKER in sql:
        raise CopyUnavailable(f"the dump of {template} already contains {MARKER}")
    kept = []
    for line in sql.splitlines():
        if line.startswith("--") or _SESSION_LINE.match(line):
            continue
        kept.append(line)
    statements = "\n".join(kept)
    # The schema itself is made by the copy: its own CREATE/COMMENT/ALTER go.
    statements = ";\n".join(
        part for part in statements.split(";\n") if not _SCHEMA_STATEMENT.match(part.strip())
    )
    replaced = _qualified(template).sub(MARKER + ".", statements)
    if re.search(rf"(?<![\w$]){re.escape(template)}(?![\w$])", replaced):
        raise CopyUnavailable(f"{template} is named in its dump outside qualified names")
    return replaced


def _restore_section(restorer: str, archive: Path, section: str) -> str:
    done = subprocess.run(
        [restorer, f"--section={section}", "--no-owner", "--no-privileges", "-f", "-", archive],
        capture_output=True,
        text=True,
        env=pg_env(),
        check=False,
    )
    if done.returncode:
        raise CopyUnavailable(f"pg_restore --section={section}: {done.stderr.strip()}")
    return done.stdout


def _dump(template: str) -> tuple[str, str]:
    dumper, restorer = find_client("pg_dump"), find_client("pg_restore")
    if dumper is None or restorer is None:
        raise CopyUnavailable("no pg_dump/pg_restore of the server's major version")
    with tempfile.TemporaryDirectory(prefix="schema-copy-") as folder:
        archive = Path(folder) / "template.dump"
        done = subprocess.run(
            # A lock the caller's own transaction holds must not hang the dump for ever.
            [dumper, "--schema-only", "--format=custom", "--no-owner", "--no-privileges"]
            + ["--lock-wait-timeout=60000"]
            + ["-n", quote(template), "-f", str(archive)],
            capture_output=True,
            text=True,
            env=pg_env(),
            check=False,
        )
        if done.returncode:
            raise CopyUnavailable(f"pg_dump of {template}: {done.stderr.strip()}")
        pre = _restore_section(restorer, archive, "pre-data")
        post = _restore_section(restorer, archive, "post-data")
    return substitute(pre, template), substitute(post, template)


def _contents(template: str) -> dict:
    """The template's tables (with the columns an INSERT may write) and sequences."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, array_agg(a.attname::text ORDER BY a.attnum) "
            "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' "
            "AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' "
            "GROUP BY c.relname ORDER BY c.relname",
            [quote(template)],
        )
        tables = {name: list(columns) for name, columns in cursor.fetchall()}
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace "
            "AND c.relkind = 'S' ORDER BY c.relname",
            [quote(template)],
        )
        sequences = [row[0] for row in cursor.fetchall()]
    return {"tables": tables, "sequences": sequences}


def template_ddl(template: str, fingerprint: str | None = None):
    """The stored definition of ``template`` in its present state, dumped if there is none."""
    model = apps.get_model("tenants", "TemplateDDL")
    fingerprint = fingerprint or template_fingerprint(template)
    stored = model.objects.filter(template_schema=template, fingerprint=fingerprint).first()
    if stored is not None:
        return stored
    pre, post = _dump(template)
    with transaction.atomic():
        model.objects.filter(template_schema=template).exclude(fingerprint=fingerprint).delete()
        stored, _created = model.objects.get_or_create(
            template_schema=template,
            fingerprint=fingerprint,
            defaults={"pre_data": pre, "post_data": post, "contents": _contents(template)},
        )
    logger.info("definition of template %s read (%s)", template, fingerprint[:8])
    return stored


# --- making a schema from it ----------------------------------------------------------


def _data_sql(template: str, target: str, contents: dict) -> str:
    source, dest = quote(template), quote(target)
    parts = []
    for table, columns in contents["tables"].items():
        cols = ", ".join(quote(c) for c in columns)
        parts.append(
            f"INSERT INTO {dest}.{quote(table)} ({cols}) OVERRIDING SYSTEM VALUE "  # noqa: S608
            f"SELECT {cols} FROM {source}.{quote(table)};"
        )
    for sequence in contents["sequences"]:
        name = f"{dest}.{quote(sequence)}"
        parts.append(
            f"SELECT setval('{name.replace(chr(39), chr(39) * 2)}', last_value, is_called) "  # noqa: S608
            f"FROM {source}.{quote(sequence)};"
        )
    return "\n".join(parts)


def copy_schema(template: str, target: str, fingerprint: str | None = None) -> None:
    """Make ``target`` a copy of ``template`` (definitions, rows, sequence values).

    One transaction (a savepoint inside the caller's): a failure leaves no schema.  Raises
    ``CopyUnavailable`` (before anything is created) when the template cannot be dumped.
    """
    connection.set_schema_to_public()
    ddl = template_ddl(template, fingerprint)
    dest = quote(target)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {dest}")
        cursor.execute(ddl.pre_data.replace(MARKER, dest))
        cursor.execute(_data_sql(template, target, ddl.contents))
        cursor.execute(ddl.post_data.replace(MARKER, dest))


def copy_or_clone(template: str, target: str, fingerprint: str | None = None) -> str:
    """Copy ``template`` to ``target`` from its dump, or clone it when that cannot be done.

    Returns ``"copy"`` or ``"clone"`` (django-tenants' ``clone_schema``, with data).
    """
    if getattr(settings, "SCHEMA_COPY_FROM_DUMP", True):
        try:
            copy_schema(template, target, fingerprint)
            return "copy"
        except CopyUnavailable as error:
            logger.warning("copy of %s from its dump unavailable, cloning: %s", template, error)
    connection.set_schema_to_public()
    ensure_clone_function(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT clone_schema(%s, %s, 'DATA')", [template, target])
    return "clone"


_clone_function_lock = threading.Lock()


def ensure_clone_function(conn) -> None:
    """Install django-tenants' ``clone_schema`` SQL function if the database lacks it.

    django-tenants replaces the function before every clone; two concurrent
    ``CREATE OR REPLACE FUNCTION`` on one function fail ("tuple concurrently updated"),
    which parallel provisioning would hit.  Installed once, it is simply reused.
    """
    from django_tenants.clone import CloneSchema

    with _clone_function_lock, conn.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE p.proname = 'clone_schema' AND n.nspname = 'public'"
        )
        if cursor.fetchone() is None:
            CloneSchema()._create_clone_schema_function()
