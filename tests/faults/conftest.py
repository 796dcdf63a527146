"""Fault injection: services of the tests' own, stopped and started by the tests.

``own_redis`` is a Redis server on a free port (never the suite's shared one), with the
caches and counters pointed at it; the test stops and starts it.  ``report`` appends a
fault's outcome (requests tried, errors, seconds to recover) to ``var/faults-report.jsonl``
and prints it, for docs/faults.md.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "var" / "faults-report.jsonl"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float = 30.0, interval: float = 0.05):
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


class RedisServer:
    """A throwaway ``redis-server`` (no persistence) that a test can stop and start again."""

    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None
        self.binary = shutil.which("redis-server") or "redis-server"

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url(), socket_connect_timeout=0.2)

        def answers():
            try:
                return client.ping()
            except redis.exceptions.ConnectionError:
                return False

        wait_until(answers, timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def own_redis(settings):
    """A Redis of the test's own; the caches and counters use it (databases 1 and 2)."""
    from component_sites.core import breaker, counters

    server = RedisServer(free_port())
    server.start()
    settings.CACHES = {
        alias: {
            **config,
            "LOCATION": server.url(1),
            "OPTIONS": {**config.get("OPTIONS", {}), "RETRY_AFTER": 0.5},
        }
        for alias, config in settings.CACHES.items()
    }
    settings.COUNTERS_REDIS_URL = server.url(2)
    settings.REDIS_RETRY_AFTER = 0.5
    breaker.reset_all()
    counters._held.clear()
    yield server
    server.stop()
    breaker.reset_all()
    counters._held.clear()


@pytest.fixture
def report():
    def write(fault: str, **figures):
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"fault": fault, **figures}, ensure_ascii=False)
        with REPORT.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        print(line)

    return write
