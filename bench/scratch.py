"""A scratch database for benchmarks, on the server of DATABASE_URL, with Django set up."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]

# BENCH_SCRATCH_DB (or BENCH_DATABASE): another name, for benchmarks run side by side on one
# server.
SCRATCH_DB = os.environ.get("BENCH_SCRATCH_DB") or os.environ.get("BENCH_DATABASE", "portal_bench")


def scratch_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    return base.rsplit("/", 1)[0] + "/" + SCRATCH_DB


def recreate_database(url: str) -> None:
    """Drop and create the scratch database (never the one DATABASE_URL names)."""
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(SCRATCH_DB)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH_DB)))
    conn.close()


def setup_scratch_platform() -> str:
    """Fresh scratch database, Django set up on it, public schema and templates migrated."""
    import logging

    url = scratch_url()
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("REDIS_DB_BASE", "12")
    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.core.management import call_command

    from tenants.site_templates import ensure_template_schemas

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_template_schemas(report=lambda _m: None)
    return url


def attach_scratch_platform() -> str:
    """Django set up on the scratch database as a previous run left it (to resume that run)."""
    import logging

    url = scratch_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("REDIS_DB_BASE", "12")
    import django

    django.setup()
    logging.disable(logging.INFO)
    return url


def remove_database(url: str) -> None:
    """Drop the scratch database altogether (never the one DATABASE_URL named)."""
    import psycopg2
    from django.db import connections
    from psycopg2 import sql

    connections.close_all()
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(SCRATCH_DB)))
    conn.close()


def drop_scratch(url: str) -> None:
    from django.db import connection

    connection.close()
    recreate_database(url)  # leave an empty scratch database, not hundreds of schemas
