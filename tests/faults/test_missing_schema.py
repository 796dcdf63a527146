"""A site whose schema is missing (dropped for a restore) or half restored: 503, never public.

PostgreSQL ignores a missing schema on the search path, so without the check the site's
host would be served the public schema's Wagtail pages ("Welcome to your new Wagtail
site!").  The schema is renamed inside the test's transaction (DDL is transactional in
PostgreSQL), so the rollback puts it back.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db

WELCOME = "Welcome to your new Wagtail site"
NOTICE = "đang được bảo trì dữ liệu"


def _rename(schema: str, new: str) -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{schema}" RENAME TO "{new}"')


def _assert_maintenance(response, tenant):
    body = response.content.decode()
    assert response.status_code == 503
    assert NOTICE in body and tenant.name in body
    assert WELCOME not in body
    assert response["Retry-After"] and response["Cache-Control"] == "no-store"


def test_public_schema_would_welcome_the_visitor(sites):
    """The hazard is real: the public schema holds Wagtail's welcome page."""
    from wagtail.models import Page

    connection.set_schema_to_public()
    assert Page.objects.filter(title__startswith="Welcome to your new Wagtail").exists()


def test_a_dropped_schema_answers_503_with_the_maintenance_notice(sites, report):
    tenant = sites.commune
    client = Client(HTTP_HOST=tenant.primary_domain)
    assert client.get("/").status_code == 200
    _rename(tenant.schema_name, f"{tenant.schema_name}_restore")
    paths = ["/", "/tin-tuc/", "/hoi-dap/", "/admin/login/", "/khong-co/"]
    for path in paths:
        _assert_maintenance(client.get(path), tenant)
    _assert_maintenance(client.post("/admin/login/", {"username": "quantri"}), tenant)
    report("schema-missing/dropped", requests=len(paths) + 1, errors=0, public_pages_served=0)


def test_a_half_restored_schema_answers_503_too(sites):
    tenant = sites.commune
    _rename(tenant.schema_name, f"{tenant.schema_name}_old")
    with connection.cursor() as cursor:
        # pg_restore creates the schema first, its tables afterwards.
        cursor.execute(f'CREATE SCHEMA "{tenant.schema_name}"')
    _assert_maintenance(Client(HTTP_HOST=tenant.primary_domain).get("/"), tenant)


def test_other_sites_are_unaffected(sites):
    _rename(sites.commune.schema_name, f"{sites.commune.schema_name}_restore")
    response = Client(HTTP_HOST=sites.district.primary_domain).get("/")
    assert response.status_code == 200
    assert sites.district.name in response.content.decode()
