"""A provincial admin edits a procedure's fee in the console; a commune site shows the new fee."""

import logging

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery_app import app
from tests.browser.conftest import wait_until
from tests.procedure_helpers import committed, make_procedure, remove_committed_procedures
from tests.two_factor import browser_console_first_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CODE = "9.940001"  # test-only code


@pytest.fixture(scope="module")
def worker(sites, django_db_blocker):
    """A real Celery worker (thread) on the real broker: syndication runs as in production."""
    with django_db_blocker.unblock():
        app.control.purge()
        root_level = logging.getLogger().level  # the test worker sets the root logger to ERROR
        try:
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
                yield w
        finally:
            logging.getLogger().setLevel(root_level)


@pytest.fixture
def admin_and_procedure(worker, django_db_blocker):
    from django.contrib.auth import get_user_model

    def create():
        get_user_model().objects.create_user(
            "tinh.thutuc", password="Mat-khau-tinh-2026", is_staff=True
        )
        return make_procedure(CODE, name="Đăng ký khai sinh (kiểm thử trình duyệt)")

    def clean_up():
        get_user_model().objects.filter(username="tinh.thutuc").delete()

    with django_db_blocker.unblock():
        remove_committed_procedures(CODE)
        yield committed(create)
        committed(clean_up)
        remove_committed_procedures(CODE)


def test_admin_edits_a_fee_and_the_commune_site_shows_it(
    live_server_port, page, screenshot, admin_and_procedure, sites
):
    base = f"http://localhost:{live_server_port}"
    commune = f"http://{sites.commune.primary_domain}:{live_server_port}"
    detail = f"{commune}/thu-tuc-hanh-chinh/9-940001/"

    # The first version reached the commune through the worker.
    def shows_version_one():
        page.goto(detail)
        return page.locator("h1").inner_text() == "Đăng ký khai sinh (kiểm thử trình duyệt)"

    wait_until(shows_version_one, message="version 1 reached the commune site")
    assert page.locator(".procedure__fees").inner_text() == "Miễn lệ phí."

    browser_console_first_login(page, base, "tinh.thutuc", "Mat-khau-tinh-2026")
    page.get_by_role("link", name="Thủ tục hành chính").click()
    page.fill("#q", "dang ky khai sinh kiem thu")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name=CODE).click()
    page.get_by_role("link", name="Sửa", exact=True).click()
    page.fill("#id_fees", "Lệ phí: 8.000 đồng/trường hợp")
    screenshot("console-procedure-edit")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{base}/console/thu-tuc/{CODE}/")
    assert "Đã lưu phiên bản 2 của thủ tục 9.940001" in page.content()

    def shows_new_fee():
        page.goto(detail)
        return page.locator(".procedure__fees").inner_text() == "Lệ phí: 8.000 đồng/trường hợp"

    wait_until(shows_new_fee, message="the commune shows the new fee")
    screenshot("commune-procedure-new-fee")

    page.goto(f"{base}/console/thu-tuc/{CODE}/")
    assert "2 đã cập nhật · 0 đang chờ · 0 lỗi" in page.locator("#sync-counts").inner_text()
