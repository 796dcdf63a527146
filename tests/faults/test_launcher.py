"""``make run``'s launcher: each child killed in turn is restarted, the others keep running.

The launcher runs with ``--no-prepare`` against a throwaway, empty database (the worker's
scheduled tasks fail there, harmlessly; ``/healthz`` only needs ``SELECT 1``) and a Redis
of the test's own, so it builds no demo and touches nothing of the suite.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
import redis

from portal.launcher import Supervised

from .conftest import RedisServer, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_backoff_doubles_is_capped_and_resets_after_a_stable_run(monkeypatch):
    from portal import launcher

    monkeypatch.setattr(launcher, "RESTART_MIN", 1.0)
    monkeypatch.setattr(launcher, "RESTART_MAX", 8.0)
    monkeypatch.setattr(launcher, "STABLE_SECONDS", 60.0)
    child = Supervised("worker", ["true"], {})
    delays = []
    for _ in range(6):
        child.delay = child.next_delay(ran_for=2)
        delays.append(child.delay)
    assert delays == [1, 2, 4, 8, 8, 8]
    child.delay = child.next_delay(ran_for=61)
    assert child.delay == 1


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _health(port: int) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/healthz", headers={"Host": "localhost"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    except (OSError, ValueError):
        return 0, {}
    finally:
        conn.close()


@pytest.fixture
def empty_database():
    """A database of the test's own, empty: the launcher's processes connect to it."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    server, _slash, _name = base.rpartition("/")
    name = f"faults_launcher_{os.getpid()}"
    _admin(f"{server}/postgres", f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    _admin(f"{server}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, *statements: str) -> None:
    admin = psycopg2.connect(url)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        admin.close()


class Launcher:
    def __init__(self, log_path: Path):
        self.log_path = log_path

    def text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pid(self, name: str, after: int = 0) -> int:
        """The pid of the last start of ``name`` logged, waiting for one other than ``after``."""

        def started():
            found = re.findall(rf"\[portal\] Khởi động {name} \(pid (\d+)\)", self.text())
            return found and int(found[-1]) != after and int(found[-1])

        return wait_until(started, timeout=60)


def test_each_child_killed_is_restarted_and_ctrl_c_stops_all(empty_database, tmp_path, report):
    own_redis = RedisServer(free_port())
    own_redis.start()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": empty_database,
        "REDIS_URL": own_redis.url(0),
        "REDIS_DB_BASE": "0",
        "PORT": str(port),
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "PORTAL_RESTART_MIN": "0.5",
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "CACHE_KEY_PREFIX": f"faults-launcher-{port}",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
    }
    log_path = tmp_path / "launcher.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "portal.launcher", "--no-prepare"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    launcher = Launcher(log_path)
    heartbeats = redis.Redis.from_url(own_redis.url(2))
    outcomes = {}
    try:
        pids = {name: launcher.pid(name) for name in ("web", "worker", "beat")}
        wait_until(lambda: _health(port)[0] == 200, timeout=120)

        for name in ("worker", "beat", "web"):
            others = {other: pid for other, pid in pids.items() if other != name}
            killed_at = time.monotonic()
            os.kill(pids[name], signal.SIGKILL)
            pids[name] = launcher.pid(name, after=pids[name])
            restarted = time.monotonic() - killed_at
            if name == "worker":
                # The dead worker's heartbeat would outlive it for 30 s: recovered means
                # the new worker has written its own.
                for key in heartbeats.scan_iter("health:worker:*"):
                    heartbeats.delete(key)
            wait_until(lambda: _health(port)[0] == 200, timeout=120)
            recovered = time.monotonic() - killed_at
            assert all(_alive(pid) for pid in others.values()), launcher.text()[-3000:]
            assert {o: p for o, p in pids.items() if o != name} == others
            outcomes[name] = {"restart_s": round(restarted, 2), "healthy_s": round(recovered, 2)}
        assert "dừng bất thường" in launcher.text()
        assert "Khởi động lại worker (lần 1)" in launcher.text()

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        wait_until(lambda: not any(_alive(pid) for pid in pids.values()), timeout=20)
        assert "Đã dừng." in launcher.text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
        own_redis.stop()
    report("launcher/children-killed", kills=3, errors=0, **outcomes)
