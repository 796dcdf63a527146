"""The console on a phone: the site tree and a site's page do not scroll sideways and no
label wraps over many lines; the unit picker filters without diacritics."""

import pytest

from tests.committed import committed
from tests.two_factor import browser_console_first_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

USER, PASSWORD = "tinh.dienthoai", "Mat-khau-tinh-2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def console_admin(django_db_blocker):
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        committed(
            lambda: get_user_model().objects.create_user(USER, password=PASSWORD, is_staff=True)
        )
    yield
    with django_db_blocker.unblock():
        committed(lambda: get_user_model().objects.filter(username=USER).delete())


def sideways(page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits)."""
    return page.evaluate(
        "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )


def tallest_label_lines(page) -> tuple[float, str]:
    """Lines of the tallest label shown (form labels, fact names, row headers, the labels
    of stacked table cells), and its text."""
    return page.evaluate(
        """() => {
            const lines = e => e.getBoundingClientRect().height /
                (parseFloat(getComputedStyle(e).lineHeight) || 20);
            const found = [...document.querySelectorAll('label, dt, th[scope=row]')]
                .filter(e => e.offsetParent !== null)
                .map(e => [lines(e), e.textContent.trim().slice(0, 60)]);
            return found.reduce((a, b) => (b[0] > a[0] ? b : a), [0, ""]);
        }"""
    )


def test_console_fits_a_phone(live_server_port, page, screenshot, console_admin, sites):
    base = f"http://localhost:{live_server_port}"
    browser_console_first_login(page, base, USER, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/console/")
    page.locator("table.data-table").wait_for()
    screenshot("console-phone-site-tree")
    assert sideways(page) == 0
    lines, label = tallest_label_lines(page)
    assert lines < 6, label

    page.fill("#id_q", "doc lap")
    page.get_by_role("button", name="Lọc").click()
    page.locator("#tree-filter-count").wait_for()
    assert sites.direct_commune.name in page.locator("table.data-table tbody").inner_text()
    assert sites.commune.name not in page.locator("table.data-table tbody").inner_text()

    page.goto(f"{base}/console/trang/{sites.commune.code}/")
    page.locator(".facts").wait_for()
    screenshot("console-phone-site-detail")
    assert sideways(page) == 0
    lines, label = tallest_label_lines(page)
    assert lines < 6, label

    page.goto(f"{base}/console/nhat-ky/")
    page.locator("#audit-count").wait_for()
    assert sideways(page) == 0
    screenshot("console-phone-audit")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/console/tao-trang/")
    page.fill("[data-filter-select=id_unit]", "thi tran luong son")
    shown = page.locator("#id_unit option:not([hidden])").all_inner_texts()
    assert any("Thị trấn Lương Sơn" in text for text in shown)
    assert not any("Xã" in text for text in shown)
    screenshot("console-unit-picker-filtered")
