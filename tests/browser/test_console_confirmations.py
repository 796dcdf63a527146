"""A provincial admin meets a confirmation naming what will happen before each irreversible
action; an archived site offers only un-archiving, which puts it back (audited)."""

import pytest

from tenants.models import Tenant
from tests.committed import committed
from tests.two_factor import browser_console_first_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

USER, PASSWORD = "tinh.xacnhan", "Mat-khau-tinh-2026"


@pytest.fixture
def console_admin(django_db_blocker, sites):
    from django.contrib.auth import get_user_model

    site = sites.direct_commune

    def create():
        get_user_model().objects.create_user(USER, password=PASSWORD, is_staff=True)

    def clean_up():
        from wagtail.models import ModelLogEntry

        from component_sites.core.page_cache import purge_site

        Tenant.objects.filter(pk=site.pk).update(status="active", status_notice="")
        ModelLogEntry.objects.filter(
            object_id=str(site.pk), action__in=["tenants.archive", "tenants.unarchive"]
        ).delete()
        purge_site(site.schema_name)
        get_user_model().objects.filter(username=USER).delete()

    with django_db_blocker.unblock():
        committed(create)
    yield site
    with django_db_blocker.unblock():
        committed(clean_up)


def status_of(django_db_blocker, site):
    with django_db_blocker.unblock():
        return committed(lambda: Tenant.objects.get(pk=site.pk).status)


def test_suspend_asks_and_archive_is_undone(
    live_server_port, page, screenshot, console_admin, django_db_blocker
):
    site = console_admin
    base = f"http://localhost:{live_server_port}"
    browser_console_first_login(page, base, USER, PASSWORD)
    page.goto(f"{base}/console/trang/{site.code}/")

    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Tạm ngừng").click()
    page.wait_for_load_state("load")
    assert asked == [
        f"Tạm ngừng trang {site.name}? Mọi địa chỉ của trang trả về thông báo tạm ngừng (503) "
        "cho đến khi cho hoạt động lại."
    ]
    assert status_of(django_db_blocker, site) == "active"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Lưu trữ (chỉ đọc)").click()
    page.locator("#read-only").wait_for()
    assert status_of(django_db_blocker, site) == "archived"
    assert page.get_by_role("button", name="Đăng nhập hỗ trợ").count() == 0
    assert page.get_by_role("button", name="Đổi tên").count() == 0
    screenshot("console-archived-site")

    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Bỏ lưu trữ").click()
    page.get_by_role("button", name="Đăng nhập hỗ trợ").wait_for()
    assert asked[-1].startswith(f"Bỏ lưu trữ trang {site.name}? Trang hoạt động lại")
    assert status_of(django_db_blocker, site) == "active"
    rows = page.locator("table.data-table tbody tr").first.inner_text()
    assert "Bỏ lưu trữ" in rows and USER in rows
    screenshot("console-unarchived-site")


def test_merge_names_the_sites_chosen(live_server_port, page, console_admin, sites):
    base = f"http://localhost:{live_server_port}"
    browser_console_first_login(page, base, USER, PASSWORD)
    page.goto(f"{base}/console/sap-nhap/")
    survivor = page.locator("#id_survivor option").nth(1)
    survivor_label = survivor.inner_text().strip()
    page.select_option("#id_survivor", survivor.get_attribute("value"))
    box = page.locator("input[name=absorbed]").first
    box.check()
    box_label = page.locator(f"label[for='{box.get_attribute('id')}']").inner_text().strip()
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Sáp nhập", exact=True).click()
    page.wait_for_load_state("load")
    assert asked and asked[0].startswith(f"Sáp nhập {box_label} vào {survivor_label}?")
    assert "Không hoàn tác được" in asked[0]
