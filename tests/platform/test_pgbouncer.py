"""Behind a real PgBouncer in transaction pooling mode, no request sees another site's schema.

PgBouncer (Debian package ``pgbouncer``) runs here with two server connections for many
clients, so consecutive statements of one client regularly land on server connections last
used by another site.  The stock django-tenants backend is shown to leak in that setting
(the control), ``portal.pgbouncer_backend`` not to.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import override_settings

pytestmark = pytest.mark.django_db

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def pgbouncer():
    """A PgBouncer in transaction mode in front of the test server: port of the pooler."""
    if not Path(PGBOUNCER).exists():
        pytest.fail("PgBouncer is required: apt-get install pgbouncer")
    # Readable by the postgres account PgBouncer runs as (pytest's own tmp is root-only).
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    folder.chmod(0o777)
    db = connection.settings_dict
    port = _free_port()
    (folder / "userlist.txt").write_text(f'"{db["USER"]}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder / 'userlist.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 2\nmax_client_conn = 200\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
    )
    for path in folder.iterdir():
        path.chmod(0o666)
    # PgBouncer refuses to run as root.
    command = [PGBOUNCER, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    process = subprocess.Popen(command)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"PgBouncer did not start: {(folder / 'pgbouncer.log').read_text()}")
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(10)
    shutil.rmtree(folder, ignore_errors=True)


def _wrapper(engine: str, port: int):
    """A database connection of ``engine`` through the pooler (not registered with Django)."""
    from django.db.utils import load_backend

    settings_dict = {
        **connection.settings_dict,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "ENGINE": engine,
        "CONN_MAX_AGE": 0,
        "DISABLE_SERVER_SIDE_CURSORS": True,
    }
    return load_backend(engine).DatabaseWrapper(settings_dict, alias=f"pgbouncer-{engine}")


def _site_name(wrapper, schema: str) -> str:
    wrapper.set_schema(schema)
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT site_name FROM wagtailcore_site WHERE is_default_site")
        return cursor.fetchone()[0]


def _interleave(engine: str, port: int, sites) -> tuple[str, str]:
    """Site A's connection, then site B's, then A's again: what does A read the second time?"""
    a, b = _wrapper(engine, port), _wrapper(engine, port)
    try:
        with override_settings(TENANT_LIMIT_SET_CALLS=True):
            first = _site_name(a, sites.commune.schema_name)
            for _ in range(3):  # B's statements take the server connections A used
                _site_name(b, sites.direct_commune.schema_name)
            with a.cursor() as cursor:
                cursor.execute("SELECT site_name FROM wagtailcore_site WHERE is_default_site")
                again = cursor.fetchone()[0]
        return first, again
    finally:
        a.close()
        b.close()


def test_control_the_stock_backend_reads_another_sites_schema_through_the_pooler(sites, pgbouncer):
    first, again = _interleave("django_tenants.postgresql_backend", pgbouncer, sites)
    assert first == sites.commune.name
    assert again == sites.direct_commune.name  # the leak this setup must be able to show


def test_every_statement_carries_its_schema_through_the_pooler(sites, pgbouncer):
    first, again = _interleave("portal.pgbouncer_backend", pgbouncer, sites)
    assert first == again == sites.commune.name


def test_transactions_keep_their_schema_and_writes_land_in_the_right_site(sites, pgbouncer):
    a, b = (
        _wrapper("portal.pgbouncer_backend", pgbouncer),
        _wrapper("portal.pgbouncer_backend", pgbouncer),
    )
    try:
        a.set_schema(sites.commune.schema_name)
        b.set_schema(sites.direct_commune.schema_name)
        a.set_autocommit(False)
        with a.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM wagtailcore_page")
            pages = cursor.fetchone()[0]
        assert _site_name(b, sites.direct_commune.schema_name) == sites.direct_commune.name
        with a.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM wagtailcore_page")
            assert cursor.fetchone()[0] == pages
            cursor.execute("SELECT site_name FROM wagtailcore_site WHERE is_default_site")
            assert cursor.fetchone()[0] == sites.commune.name
        a.rollback()
    finally:
        a.close()
        b.close()


def test_concurrent_requests_to_different_sites_each_see_their_own_site(sites, pgbouncer):
    tenants = [sites.province, sites.district, sites.commune, sites.direct_commune]
    hosts = {t.primary_domain: t for t in tenants}
    # Expected titles, read straight from PostgreSQL.
    expected = {}
    for host in hosts:
        response = Client(HTTP_HOST=host).get("/")
        assert response.status_code == 200
        expected[host] = TITLE_RE.search(response.content.decode()).group(1).strip()
    assert len(set(expected.values())) == len(hosts)

    original = dict(connections.settings["default"])
    outcomes: dict[str, list[str]] = {host: [] for host in hosts}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(hosts) * 2)

    def visit(host: str) -> None:
        try:
            # A session cookie keeps the page cache out: every request renders from the database
            # (the session itself is looked up in the site's schema too).
            client = Client(HTTP_HOST=host)
            client.cookies["sessionid"] = "khong-ton-tai"
            barrier.wait(timeout=60)
            for _ in range(15):
                response = client.get("/")
                match = TITLE_RE.search(response.content.decode())
                outcomes[host].append(
                    match.group(1).strip() if match else f"HTTP {response.status_code}"
                )
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)
        finally:
            connections["default"].close()

    # Threads open their own "default" connection from these settings: through the pooler.
    connections.settings["default"].update(
        HOST="127.0.0.1",
        PORT=str(pgbouncer),
        ENGINE="portal.pgbouncer_backend",
        CONN_MAX_AGE=60,
        DISABLE_SERVER_SIDE_CURSORS=True,
    )
    try:
        threads = [threading.Thread(target=visit, args=(host,)) for host in list(hosts) * 2]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        connections.settings["default"].clear()
        connections.settings["default"].update(original)
    if errors:
        raise errors[0]
    for host, titles in outcomes.items():
        assert len(titles) == 30
        assert set(titles) == {expected[host]}, (host, set(titles))
