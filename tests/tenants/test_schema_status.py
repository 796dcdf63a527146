"""Migration status per site in the console, and the resumable run that brings schemas up."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from tasks.schema_migrations import migrate_behind_schemas
from tenants.models import SchemaMigrationRun
from tenants.schema_status import migrate_behind, schema_statuses
from tenants.site_migrations import expected_migrations
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db

HOST = "localhost"
# A data migration that is safe to apply again (idempotent), and a leaf of its app.
RERUNNABLE = ("editorial", "0003_retire_wagtail_default_groups")


@pytest.fixture
def console(django_user_model):
    user = django_user_model.objects.create_user(
        "tinh.admin", password="Mat-khau-2026", is_staff=True
    )
    client = Client(HTTP_HOST=HOST)
    console_login(client, user)
    return client


def forget_migration(schema: str, app: str = RERUNNABLE[0], name: str = RERUNNABLE[1]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s',  # noqa: S608
            [app, name],
        )
        assert cursor.rowcount == 1


def test_every_site_is_up_to_date_after_provisioning(sites):
    statuses = schema_statuses()
    assert len(statuses) >= 4
    assert [s.tenant.code for s in statuses if s.is_behind] == []
    assert "editorial.0003_retire_wagtail_default_groups" in expected_migrations()


def test_a_schema_behind_is_listed_with_what_it_lacks(sites, console):
    forget_migration(sites.commune.schema_name)
    behind = [s for s in schema_statuses() if s.is_behind]
    assert [(s.tenant.code, s.pending) for s in behind] == [
        (sites.commune.code, ["editorial.0003_retire_wagtail_default_groups"])
    ]
    page = console.get("/console/luoc-do/").content.decode()
    assert (
        sites.commune.schema_name in page and "editorial.0003_retire_wagtail_default_groups" in page
    )
    assert "Cập nhật các lược đồ còn thiếu (1)" in page


def test_the_console_starts_a_run_that_brings_the_schemas_up(sites, console):
    forget_migration(sites.commune.schema_name)
    forget_migration(sites.direct_commune.schema_name)
    response = console.post("/console/luoc-do/")
    assert response.status_code == 302
    run = SchemaMigrationRun.objects.get()
    # What the worker runs for that request.
    assert migrate_behind_schemas(run.pk) == "done"
    run.refresh_from_db()
    assert (run.total, run.done, run.failures) == (2, 2, {})
    assert not [s for s in schema_statuses() if s.is_behind]
    page = console.get("/console/luoc-do/").content.decode()
    assert "Mọi lược đồ đã có đủ migration." in page
    assert "đã cập nhật 2/2 lược đồ" in page


def test_a_failed_schema_does_not_stop_the_others_and_a_new_run_resumes(sites, console):
    forget_migration(sites.commune.schema_name)
    forget_migration(sites.direct_commune.schema_name)
    from django.core.management import call_command

    def migrate_but_fail_one(schema: str) -> None:
        if schema == sites.commune.schema_name:
            raise RuntimeError("máy chủ cơ sở dữ liệu ngắt kết nối")
        call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)

    first = migrate_behind(SchemaMigrationRun.objects.create(), migrate=migrate_but_fail_one)
    assert (first.state, first.done, first.total) == ("failed", 1, 2)
    assert first.failures == {sites.commune.schema_name: "máy chủ cơ sở dữ liệu ngắt kết nối"}
    page = console.get("/console/luoc-do/").content.decode()
    assert "Tiếp tục cập nhật (1)" in page and "máy chủ cơ sở dữ liệu ngắt kết nối" in page

    second = migrate_behind(SchemaMigrationRun.objects.create())
    assert (second.state, second.done, second.total) == ("done", 1, 1)
    assert not [s for s in schema_statuses() if s.is_behind]


def test_nothing_to_run_when_everything_is_up_to_date(sites, console):
    response = console.post("/console/luoc-do/", follow=True)
    assert "Mọi lược đồ đã cập nhật; không có gì để chạy." in response.content.decode()
    assert not SchemaMigrationRun.objects.exists()


def test_a_missing_schema_is_shown_not_crashed_on(sites, console):
    from tenants.models import Tenant

    Tenant.objects.filter(pk=sites.commune.pk).update(schema_name="c_khong_co")
    statuses = {s.tenant.code: s for s in schema_statuses()}
    assert statuses[sites.commune.code].missing_schema
    page = console.get("/console/luoc-do/").content.decode()
    assert "Không có lược đồ trong cơ sở dữ liệu" in page
