"""A provincial admin uploads a catalogue file; the worker checks it and the status page,
which refreshes itself, lists the bad value by line and field; a clean file then imports."""

from __future__ import annotations

import json

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery_app import app
from tests.procedure_helpers import BASE, committed, remove_committed_procedures
from tests.two_factor import browser_console_first_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PREFIX = "9.9610"  # test-only codes


@pytest.fixture
def worker(sites, django_db_blocker):
    """A real Celery worker (thread) on the real broker: the import runs as in production."""
    with django_db_blocker.unblock():
        app.control.purge()
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
            yield w


@pytest.fixture
def admin(worker, django_db_blocker):
    from django.contrib.auth import get_user_model

    from tenants.models import ProcedureImport

    def clean_up():
        remove_committed_procedures(PREFIX)
        ProcedureImport.objects.filter(filename__startswith="danh-muc-thu").delete()
        get_user_model().objects.filter(username="tinh.nhapfile").delete()

    with django_db_blocker.unblock():
        committed(clean_up)
        committed(
            lambda: get_user_model().objects.create_user(
                "tinh.nhapfile", password="Mat-khau-tinh-2026", is_staff=True
            )
        )
        yield
        committed(clean_up)


def upload(page, path) -> None:
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Kiểm tra và nhập").click()


def test_admin_uploads_a_file_the_worker_reports_a_bad_type_then_imports_a_clean_one(
    live_server_port, page, screenshot, admin, tmp_path
):
    base = f"http://localhost:{live_server_port}"
    row = {**{k: v for k, v in BASE.items() if k != "owner"}, "code": f"{PREFIX}1"}
    bad = tmp_path / "danh-muc-thu-loi.json"
    bad.write_text(json.dumps([row, {**row, "code": f"{PREFIX}2", "name": ["a", "b"]}]))
    good = tmp_path / "danh-muc-thu-dung.json"
    good.write_text(json.dumps([row, {**row, "code": f"{PREFIX}2"}]), encoding="utf-8")

    browser_console_first_login(page, base, "tinh.nhapfile", "Mat-khau-tinh-2026")
    page.goto(f"{base}/console/thu-tuc/nhap/")
    upload(page, bad)
    page.wait_for_url(f"{base}/console/thu-tuc/nhap/*/")
    report = page.locator("#import-report")
    report.wait_for(timeout=60_000)  # the page reloads itself until the worker is done
    screenshot("console-import-report")
    text = report.inner_text()
    assert "Tệp có 1 lỗi ở 1 dòng; chưa có gì thay đổi." in text
    assert "Tên thủ tục" in text and "kiểu danh sách" in text

    page.goto(f"{base}/console/thu-tuc/nhap/")
    upload(page, good)
    page.wait_for_url(f"{base}/console/thu-tuc/nhap/*/")
    page.locator("#import-report").wait_for(timeout=60_000)
    assert "Đã nhập 2 thủ tục mới" in page.locator("#import-report").inner_text()
    page.goto(f"{base}/console/thu-tuc/{PREFIX}2/")
    assert page.locator("h1").inner_text() == BASE["name"]
