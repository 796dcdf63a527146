"""django-tenants' PostgreSQL backend, safe behind PgBouncer in transaction pooling mode.

django-tenants selects a site's schema with a session-level ``SET search_path``, sent once per
connection (``TENANT_LIMIT_SET_CALLS``) or before each cursor, as a statement of its own.  In
transaction pooling, PgBouncer hands each transaction — in autocommit, each statement — to any
server connection: the ``SET`` lands on one and the query on another, which still carries
whatever schema its previous client chose.  A request could then read another site's rows
(django-tenants issues #545, #1112; the ``SET LOCAL`` pull requests #1166 and #1213 were
closed without a release).  PgBouncer 1.20's ``track_extra_parameters = search_path`` needs a
server that reports ``search_path`` (PostgreSQL 18); Debian 12 ships PgBouncer 1.18 and
PostgreSQL 15.

Here every statement carries its own schema: the cursor sends ``SET search_path …;`` and the
statement in one simple-query message, which PostgreSQL runs as one implicit transaction and
PgBouncer keeps on one server connection.  The schema is read when the statement runs, so a
cursor kept across ``schema_context`` follows it.  Needs psycopg2 (client-side parameters, no
server-side prepared statements) and ``DISABLE_SERVER_SIDE_CURSORS`` (named cursors cannot
take the prefix).  Not for migrations or other DDL that refuses a transaction block
(``CREATE INDEX CONCURRENTLY``): run those straight against PostgreSQL.  See
docs/deployment.md, "PgBouncer".
"""

from __future__ import annotations

import psycopg2.extensions
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
from django_tenants.utils import get_public_schema_name
from psycopg2 import sql


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SchemaPrefixedCursor(psycopg2.extensions.cursor):
    """A psycopg2 cursor that sends the wrapper's current ``search_path`` with every statement."""

    wrapper: DatabaseWrapper | None = None

    def _prefixed(self, query):
        if self.wrapper is None:
            return query
        prefix = self.wrapper.search_path_statement()
        if isinstance(query, sql.Composable):
            query = query.as_string(self)
        if isinstance(query, bytes):
            return prefix.encode() + query
        return prefix + query

    def execute(self, query, vars=None):  # noqa: A002 - psycopg2's own signature
        return super().execute(self._prefixed(query), vars)

    def executemany(self, query, vars_list):
        return super().executemany(self._prefixed(query), vars_list)


class DatabaseWrapper(TenantDatabaseWrapper):
    """Sends the schema with each statement instead of once per connection."""

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        wrapper = self

        class BoundCursor(SchemaPrefixedCursor):
            pass

        BoundCursor.wrapper = wrapper
        connection.cursor_factory = BoundCursor
        return connection

    def create_cursor(self, name=None):
        if name:
            raise NotImplementedError(
                "Server-side cursors cannot carry the schema behind PgBouncer: "
                "set DISABLE_SERVER_SIDE_CURSORS = True."
            )
        return super().create_cursor(name)

    def _handle_search_path(self, cursor=None):
        # Nothing to send ahead: every statement carries the schema (SchemaPrefixedCursor).
        self.search_path_set_schemas = None

    def search_path_statement(self) -> str:
        if not self.schema_name:
            schema = get_public_schema_name()
            paths = [schema]
        else:
            paths = self._get_cursor_search_paths()
        return "SET search_path = " + ",".join(_quoted(p) for p in paths) + "; "
