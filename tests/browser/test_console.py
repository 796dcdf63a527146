"""A provincial admin creates a commune site in the console; its admin sets a password by link."""

import pytest

from tenants.models import Tenant
from tests.committed import committed
from tests.two_factor import browser_console_first_login, browser_enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CODE = "04924"  # Thị trấn Lương Sơn, under Huyện Lương Sơn (152)
NEW_PASSWORD = "Mat-khau-moi-cua-xa-2026"


@pytest.fixture
def platform_admin(django_db_blocker):
    from django.contrib.auth import get_user_model

    def create():
        return get_user_model().objects.create_user(
            "tinh.quantri", password="Mat-khau-tinh-2026", is_staff=True
        )

    def clean_up():
        created = Tenant.objects.filter(code=CODE).first()
        if created is not None:  # committed by the live server: remove it, schema included
            created.domains.all().delete()
            created.delete(force_drop=True)
        get_user_model().objects.filter(username="tinh.quantri").delete()

    with django_db_blocker.unblock():
        user = committed(create)
    yield user
    with django_db_blocker.unblock():
        committed(clean_up)


def test_admin_creates_a_commune_site_and_its_admin_logs_in_by_one_time_link(
    live_server_port, page, screenshot, platform_admin
):
    base = f"http://localhost:{live_server_port}"
    browser_console_first_login(page, base, "tinh.quantri", "Mat-khau-tinh-2026")
    page.get_by_role("link", name="+ Tạo trang").click()
    page.select_option("#id_unit", CODE)
    screenshot("console-create-site")
    page.get_by_role("button", name="Tạo trang").click()
    page.wait_for_url(f"{base}/console/trang/{CODE}/")
    assert "Đã tạo trang Thị trấn Lương Sơn." in page.content()
    link = page.locator("#setup-link").get_attribute("href")
    screenshot("console-site-detail")

    host = f"http://ttluongson.hoabinh.test.localhost:{live_server_port}"
    assert link.startswith(f"{host}/admin/password_reset/confirm/")
    page.goto(f"{host}/")
    assert page.locator("h1").inner_text() == "Thị trấn Lương Sơn"

    page.goto(link)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.goto(f"{host}/admin/login/")
    page.fill("input[name=username]", "quantri")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.click("button[type=submit]")
    # A new site admin turns on two-factor authentication before anything else.
    browser_enrol(page)
    page.wait_for_url(f"{host}/admin/")
    assert "Thị trấn Lương Sơn" in page.locator("main").inner_text()

    # The link worked once: it is refused now that the password is set.
    page.context.clear_cookies()
    page.goto(link)
    assert page.locator("input[name=new_password1]").count() == 0
