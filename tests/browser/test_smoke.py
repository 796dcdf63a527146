"""Smoke test in a real browser: a commune's home page on its domain, and its /admin/ login."""

import pytest

from tests.conftest import ADMIN_PASSWORD, admin_code
from tests.two_factor import browser_second_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "nhuantrach.hoabinh.test.localhost"


def test_commune_home_page_on_its_own_domain(live_server_port, page, screenshot, settings):
    # Links between sites are built on the sites' public origin: here, the live server's port.
    settings.PUBLIC_URL_PORT = str(live_server_port)
    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto(f"http://{HOST}:{live_server_port}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Xã Nhuận Trạch"
    assert page.title() == "Xã Nhuận Trạch"
    assert page.locator("html").get_attribute("lang") == "vi"
    screenshot("commune-home-phone")
    # Keyboard users reach the skip link first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Bỏ qua")
    # The parent unit is linked on its own domain, same port.
    link = page.get_by_role("link", name="Huyện Lương Sơn")
    assert (
        link.get_attribute("href") == f"http://luongson.hoabinh.test.localhost:{live_server_port}/"
    )
    page.keyboard.press("Escape")
    page.mouse.click(5, 400)
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot("commune-home-desktop")


def test_commune_admin_login(live_server_port, page, screenshot, sites):
    page.goto(f"http://{HOST}:{live_server_port}/admin/")
    assert "/admin/login/" in page.url
    page.fill("input[name=username]", "quantri")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("button[type=submit]")
    assert "/admin/login/" in page.url
    page.fill("input[name=username]", "quantri")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    # The site admin's second step: the code of the authenticator app.
    browser_second_step(page, admin_code(sites.commune))
    page.wait_for_url(f"http://{HOST}:{live_server_port}/admin/")
    assert "Xã Nhuận Trạch" in page.locator("main").inner_text()
    screenshot("commune-admin-dashboard")


def test_alias_and_unknown_host_in_the_browser(live_server_port, page):
    page.goto(f"http://xanhuantrach.hoabinh.test.localhost:{live_server_port}/")
    assert page.url == f"http://{HOST}:{live_server_port}/"
    response = page.goto(f"http://khongco.test.localhost:{live_server_port}/")
    assert response.status == 404
    assert "chưa được đăng ký" in page.content()
