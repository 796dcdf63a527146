"""A task enqueued from a site runs in that site's schema on the worker."""

import pytest
from django_tenants.utils import schema_context

from portal.health import check_worker
from tasks.diagnostics import describe_schema

# The worker thread reads committed session data; the mark makes pytest-django use
# the test database even when only these tests are selected.
pytestmark = pytest.mark.django_db


def test_task_enqueued_from_a_site_runs_in_its_schema(celery_worker, sites):
    results = {}
    for tenant in (sites.commune, sites.direct_commune):
        with schema_context(tenant.schema_name):
            results[tenant.schema_name] = describe_schema.delay()
    for tenant in (sites.commune, sites.direct_commune):
        outcome = results[tenant.schema_name].get(timeout=30)
        assert outcome == {
            "schema": tenant.schema_name,
            "site_hostname": tenant.primary_domain,
        }


def test_task_enqueued_from_public_runs_in_public(celery_worker):
    assert describe_schema.delay().get(timeout=30)["schema"] == "public"


def test_running_worker_is_reported_by_its_heartbeat(celery_worker):
    report = check_worker()
    assert report["ok"] is True
    assert celery_worker.hostname in report["workers"]


def test_healthz_is_200_when_worker_redis_and_postgresql_are_up(celery_worker, client):
    response = client.get("/healthz", HTTP_HOST="any-host.example")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
