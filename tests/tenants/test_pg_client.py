"""Where pg_dump/pg_restore are found and which address they connect to."""

import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from tenants.pg_client import find_client, pg_env

pytestmark = pytest.mark.django_db


def test_the_tools_connect_straight_to_the_database_when_told(settings):
    settings.PG_TOOLS_DATABASE_URL = "postgres://dump%2Duser:p%40ss@db.internal:6543/ignored"
    env = pg_env()
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"]) == (
        "db.internal",
        "6543",
        "dump-user",
        "p@ss",
    )
    # Always Django's database (under tests, the test database), never the URL's name.
    assert env["PGDATABASE"] == connection.settings_dict["NAME"]


def test_without_it_the_tools_use_djangos_connection(settings):
    settings.PG_TOOLS_DATABASE_URL = ""
    env = pg_env()
    assert env["PGDATABASE"] == connection.settings_dict["NAME"]
    assert env.get("PGHOST", "") == (connection.settings_dict["HOST"] or "")


@pytest.mark.parametrize("bad", ["mysql://u@h/db", "postgres:///only-a-name", "not a url"])
def test_a_malformed_address_is_refused_with_a_message(settings, bad):
    settings.PG_TOOLS_DATABASE_URL = bad
    with pytest.raises(ImproperlyConfigured, match="PG_TOOLS_DATABASE_URL"):
        pg_env()


def test_pg_dump_really_connects_through_the_direct_address(settings):
    params = connection.settings_dict
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    settings.PG_TOOLS_DATABASE_URL = f"postgres://{params['USER']}@{host}:{port}/x"
    pg_dump = find_client("pg_dump")
    assert pg_dump, "the test machine has a pg_dump of the server's version"
    out = subprocess.run(
        [pg_dump, "--schema-only", "-n", "public", "-t", "public.tenants_tenant"],
        env=pg_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "CREATE TABLE public.tenants_tenant" in out


def test_pg_bin_dir_from_the_settings_is_looked_in_first(tmp_path):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 99.1'\n")
    fake.chmod(0o755)
    with override_settings(PG_BIN_DIR=str(tmp_path)):
        assert find_client("pg_dump") == str(fake)
