"""``/healthz``: answers on every host; 503 when PostgreSQL, Redis or the worker is down."""

import pytest
from django.db import connections

from portal.health import WORKER_KEY_PREFIX, check_postgresql, health_redis_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_worker():
    client = health_redis_client()
    for key in client.scan_iter(match=f"{WORKER_KEY_PREFIX}*"):
        client.delete(key)


@pytest.mark.parametrize("host", ["localhost", "nhuantrach.hoabinh.test.localhost", "10.0.0.7"])
def test_healthz_answers_on_every_host(sites, client, no_worker, host):
    response = client.get("/healthz", HTTP_HOST=host)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["postgresql"]["ok"] is True
    assert body["redis"]["ok"] is True


def test_healthz_is_503_without_a_worker(client, no_worker):
    response = client.get("/healthz", HTTP_HOST="localhost")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"] == {"ok": False, "workers": []}


def test_fresh_worker_heartbeat_counts_as_up(client, no_worker):
    health_redis_client().set(f"{WORKER_KEY_PREFIX}celery@test", "1", ex=5)
    try:
        assert client.get("/healthz", HTTP_HOST="localhost").status_code == 200
    finally:
        health_redis_client().delete(f"{WORKER_KEY_PREFIX}celery@test")


def test_healthz_is_503_when_redis_is_down(client, settings):
    settings.COUNTERS_REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz", HTTP_HOST="localhost")
    assert response.status_code == 503
    assert response.json()["redis"]["ok"] is False


def test_postgresql_check_reports_an_unreachable_server():
    params = {**connections["default"].settings_dict, "PORT": "1", "HOST": "127.0.0.1"}
    params["OPTIONS"] = {**params.get("OPTIONS", {}), "connect_timeout": 2}
    wrapper = connections["default"].__class__(params, alias="unreachable")
    try:
        assert check_postgresql(wrapper)["ok"] is False
    finally:
        wrapper.close()


def test_postgresql_check_reports_a_reachable_server():
    assert check_postgresql()["ok"] is True
