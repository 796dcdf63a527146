"""PostgreSQL connections killed between requests (pg_terminate_backend): no 500.

gunicorn serves the test sites as in production (2 workers × 4 threads, CONN_MAX_AGE=60,
so each thread keeps its connection between requests); between rounds of requests the
test terminates every server connection.  ``CONN_HEALTH_CHECKS`` makes Django test a
reused connection before the request's first query and replace a dead one.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from .conftest import free_port, wait_until

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APP_NAME = "faults-web"
ROUNDS = 3
PER_ROUND = 100


def _get(port: int, host: str, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host, "User-Agent": "Mozilla/5.0 faults"})
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def _server_connections() -> int:
    with connection.cursor() as cursor:
        # The test runs in a transaction: statistics views are a snapshot until cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
        )
        return cursor.fetchone()[0]


def _terminate() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s",
            [APP_NAME],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def web(sites, tmp_path):
    """gunicorn on a free port, against the test database (committed test sites)."""
    port = free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/"
        f"{db['NAME']}?application_name={APP_NAME}",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        "CACHE_KEY_PREFIX": f"faults-web-{port}",
        "CONN_HEALTH_CHECKS": os.environ.get("FAULTS_CONN_HEALTH_CHECKS", "1"),
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: _get(port, "localhost", "/healthz") in (200, 503), timeout=60)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_terminated_backends_cause_no_500(sites, web, report):
    hosts = [sites.commune.primary_domain, sites.district.primary_domain]
    paths = ["/", "/tin-tuc/", "/hoi-dap/", "/thong-bao/"]
    targets = [(host, path) for host in hosts for path in paths]
    statuses: list[int] = []
    terminated = 0
    recovery: list[float] = []
    with ThreadPoolExecutor(8) as pool:
        for _round in range(ROUNDS):
            batch = [targets[i % len(targets)] for i in range(PER_ROUND)]
            statuses += pool.map(lambda target: _get(web, *target), batch)
            assert _server_connections() > 0  # the server keeps pooled connections
            terminated += _terminate()
            wait_until(lambda: _server_connections() == 0, timeout=10)
            started = time.monotonic()
            first = _get(web, *targets[0])
            statuses.append(first)
            recovery.append(time.monotonic() - started)
    errors = [status for status in statuses if status != 200]
    report(
        "postgresql-backends-terminated",
        requests=len(statuses),
        errors=len(errors),
        connections_terminated=terminated,
        conn_health_checks=os.environ.get("FAULTS_CONN_HEALTH_CHECKS", "1"),
        slowest_first_request_after_kill_seconds=round(max(recovery), 3),
    )
    if os.environ.get("FAULTS_CONN_HEALTH_CHECKS", "1") == "1":
        assert errors == []
