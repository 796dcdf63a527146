"""A citizen picks a week of the leadership's schedule: by a day, by previous/next links,
and in a browser whose date field is a plain text box."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "doclap.hoabinh.test.localhost"


def _open(page, port):
    page.goto(f"http://{HOST}:{port}/lich-cong-tac/")
    return page.get_by_label("Xem tuần có ngày")


def test_citizen_picks_a_day_and_steps_between_weeks(live_server_port, page, sites, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    picker = _open(page, live_server_port)
    expect(picker).to_have_attribute("type", "date")
    picker.fill("2026-01-01")
    page.get_by_role("button", name="Xem lịch").click()
    expect(page).to_have_url(re.compile(r"\?ngay=2026-01-01$"))
    lead = page.locator(".hero .lead")
    expect(lead).to_have_text("Tuần 1/2026: từ 29/12/2025 đến 04/01/2026")
    # The field shows the Monday of the week on screen.
    expect(page.get_by_label("Xem tuần có ngày")).to_have_value("2025-12-29")
    screenshot("schedule-week-picker-phone")
    page.get_by_role("link", name=re.compile("Tuần sau")).click()
    expect(lead).to_have_text("Tuần 2/2026: từ 05/01/2026 đến 11/01/2026")
    page.get_by_role("link", name=re.compile("Tuần trước")).click()
    page.get_by_role("link", name=re.compile("Tuần trước")).click()
    expect(lead).to_have_text("Tuần 52/2025: từ 22/12/2025 đến 28/12/2025")


def test_a_browser_without_a_date_field_takes_the_day_typed_in_vietnamese(
    live_server_port, page, sites
):
    picker = _open(page, live_server_port)
    # What Firefox/Safari of old show for an unknown input type: a text box.
    picker.evaluate("input => { input.type = 'text'; input.value = ''; }")
    picker.fill("15/04/2026")
    page.get_by_role("button", name="Xem lịch").click()
    expect(page.locator(".hero .lead")).to_have_text("Tuần 16/2026: từ 13/04/2026 đến 19/04/2026")
    picker = page.get_by_label("Xem tuần có ngày")
    picker.evaluate("input => { input.type = 'text'; input.value = ''; }")
    picker.fill("31/02/2026")
    page.get_by_role("button", name="Xem lịch").click()
    expect(page.locator(".alert--error")).to_contain_text("không có trong lịch")
