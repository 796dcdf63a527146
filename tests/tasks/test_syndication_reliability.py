"""Reliability with real processes: a worker killed mid fan-out, Redis restarted mid fan-out.

Each test runs its own Redis (no persistence, on a free port) and its own Celery worker
processes against the test database; data is committed so that they see it.  After the
incident, the reconciliation sweep (what beat runs every 5 minutes) resumes the work:
every site must end with the latest version of every procedure, exactly once.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django_tenants.utils import schema_context

from tenants.models import Tenant
from tenants.procedures.models import Procedure, ProcedureVersion, SyndicationReceipt
from tenants.procedures.syndication import snapshot
from tests.procedure_helpers import BASE, committed, remove_committed_procedures

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "8.7"  # test-only codes
COUNT = 150  # procedures; 4 sites → 600 copies in batches of 5 → 120 tasks
REDIS_SERVER = "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None
        self.start()

    def start(self):
        executable = REDIS_SERVER if Path(REDIS_SERVER).exists() else "redis-server"
        self.process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("private Redis did not start")

    def kill(self):
        self.process.kill()
        self.process.wait()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    yield server
    server.kill()


@pytest.fixture
def env(private_redis):
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": private_redis.url,
        "REDIS_DB_BASE": "0",
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "PROCEDURE_SYNDICATION_BATCH": "5",
        "CACHE_KEY_PREFIX": "wt-proc-reliability",
    }


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal.celery_app",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.fixture
def catalogue(sites):
    """COUNT committed procedures at version 2, for every level (all four test sites)."""

    def create():
        ids = []
        for index in range(COUNT):
            procedure = Procedure(
                **{k: v for k, v in BASE.items() if k not in ("owner", "levels")},
                code=f"{PREFIX}{index:04d}",
                levels=["province", "district", "commune"],
            )
            procedure.save()
            for version in (1, 2):
                procedure.fees = f"Phiên bản {version}"
                ProcedureVersion.objects.create(
                    procedure=procedure, version=version, data=snapshot(procedure)
                )
            Procedure.objects.filter(pk=procedure.pk).update(version=2, fees="Phiên bản 2")
            ids.append(procedure.pk)
        return ids

    remove_committed_procedures(PREFIX)
    yield committed(create)
    remove_committed_procedures(PREFIX)


def done_count(ids) -> int:
    return committed(
        lambda: SyndicationReceipt.objects.filter(
            procedure_id__in=ids, version=2, status="done"
        ).count()
    )


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def assert_every_site_has_the_latest_version_once(sites, ids):
    total = COUNT * 4
    # Generous: a correctness check, not a speed one (CI machines are shared and slow).
    assert wait_for(lambda: done_count(ids) == total, 240), f"{done_count(ids)}/{total} done"
    connection.set_schema_to_public()
    receipts = committed(
        lambda: list(
            SyndicationReceipt.objects.filter(procedure_id__in=ids).values_list(
                "tenant_id", "procedure_id", "version", "status"
            )
        )
    )
    assert len(receipts) == total  # one receipt per site and version: nothing duplicated
    for tenant in (sites.province, sites.district, sites.commune, sites.direct_commune):
        schema = Tenant.objects.get(pk=tenant.pk).schema_name
        with schema_context(schema), connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), count(DISTINCT code), min(version), max(version), "
                "count(*) FILTER (WHERE fees = 'Phiên bản 2') "
                "FROM procedures_procedurecopy WHERE code LIKE %s",
                [PREFIX + "%"],
            )
            assert cursor.fetchone() == (COUNT, COUNT, 2, 2, COUNT), tenant.name
        connection.set_schema_to_public()


def kill(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_a_worker_killed_mid_fan_out_loses_and_duplicates_nothing(sites, catalogue, env):
    manage(env, "syndicate_procedures", "--all")  # fan-out: receipts pending, tasks queued
    worker = start_worker(env)
    try:
        assert wait_for(lambda: done_count(catalogue) >= 20, 60), "the worker made no progress"
        kill(worker)
        at_kill = done_count(catalogue)
        assert at_kill < COUNT * 4, "the fan-out finished before the worker was killed"
        worker = start_worker(env)
        manage(env, "syndicate_procedures", "--reconcile", "--older-than", "0")
        assert_every_site_has_the_latest_version_once(sites, catalogue)
    finally:
        kill(worker)


def test_redis_restarted_mid_fan_out_loses_and_duplicates_nothing(
    sites, catalogue, env, private_redis
):
    manage(env, "syndicate_procedures", "--all")
    worker = start_worker(env)
    try:
        assert wait_for(lambda: done_count(catalogue) >= 20, 60), "the worker made no progress"
        private_redis.kill()  # every queued message is gone (no persistence)
        at_restart = done_count(catalogue)
        private_redis.start()
        assert at_restart < COUNT * 4, "the fan-out finished before Redis was restarted"
        manage(env, "syndicate_procedures", "--reconcile", "--older-than", "0")
        assert_every_site_has_the_latest_version_once(sites, catalogue)
    finally:
        kill(worker)
