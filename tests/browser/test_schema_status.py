"""A provincial admin sees which site schemas are behind and brings them up from the console."""

import pytest
from playwright.sync_api import expect

from tests.committed import committed
from tests.two_factor import browser_console_first_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MIGRATION = ("editorial", "0003_retire_wagtail_default_groups")  # idempotent data migration, a leaf


@pytest.fixture
def behind_site(sites, django_db_blocker):
    """The commune's schema without one migration, committed so the live server sees it."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    schema = sites.commune.schema_name

    def forget():
        get_user_model().objects.create_user(
            "tinh.luocdo", password="Mat-khau-tinh-2026", is_staff=True
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s',  # noqa: S608
                list(MIGRATION),
            )

    def restore():
        from django.core.management import call_command

        from tenants.models import SchemaMigrationRun

        call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
        SchemaMigrationRun.objects.all().delete()
        get_user_model().objects.filter(username="tinh.luocdo").delete()

    with django_db_blocker.unblock():
        committed(forget)
    yield sites.commune
    with django_db_blocker.unblock():
        committed(restore)


def test_admin_sees_the_schema_behind_and_brings_it_up(
    live_server_port, page, screenshot, behind_site, django_db_blocker
):
    from tasks.schema_migrations import migrate_behind_schemas
    from tenants.models import SchemaMigrationRun

    base = f"http://localhost:{live_server_port}"
    browser_console_first_login(page, base, "tinh.luocdo", "Mat-khau-tinh-2026")
    page.get_by_role("link", name="Lược đồ").click()
    page.wait_for_url(f"{base}/console/luoc-do/")
    row = page.get_by_role("row", name=behind_site.name)
    expect(row).to_contain_text("editorial.0003_retire_wagtail_default_groups")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot("console-schemas-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("console-schemas-phone")

    page.get_by_role("button", name="Cập nhật các lược đồ còn thiếu (1)").click()
    expect(page.get_by_text("Đã gửi yêu cầu cập nhật")).to_be_visible()
    # What the worker does with the request (no worker runs in the browser tests).
    with django_db_blocker.unblock():
        run = committed(lambda: SchemaMigrationRun.objects.get())
        committed(lambda: migrate_behind_schemas(run.pk))
    page.reload()
    expect(page.get_by_text("Mọi lược đồ đã có đủ migration.")).to_be_visible()
    expect(page.get_by_text("đã cập nhật 1/1 lược đồ")).to_be_visible()
    screenshot("console-schemas-done")
