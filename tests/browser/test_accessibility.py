"""Reading aids and keyboard use on a site: skip link, font size, high contrast, alt text."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "doclap.hoabinh.test.localhost"


def test_keyboard_user_skips_to_the_content(live_server_port, page, sites):
    page.goto(f"http://{HOST}:{live_server_port}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"


def test_font_size_and_high_contrast_are_remembered(live_server_port, page, sites, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"http://{HOST}:{live_server_port}/")
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    bigger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert bigger > size
    contrast = page.get_by_role("button", name="Tương phản cao")
    contrast.click()
    assert contrast.get_attribute("aria-pressed") == "true"
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('high-contrast')")
    assert page.evaluate("document.documentElement.dataset.fontScale") == "1"
    assert page.get_by_role("button", name="Tương phản cao").get_attribute("aria-pressed") == "true"
    screenshot("high-contrast-phone")
    page.get_by_role("button", name="Cỡ chữ mặc định").click()
    page.get_by_role("button", name="Tương phản cao").click()
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('high-contrast')")
    assert page.evaluate("document.documentElement.dataset.fontScale") is None


def test_every_image_has_a_text_alternative(live_server_port, page, sites):
    page.goto(f"http://{HOST}:{live_server_port}/")
    missing = page.evaluate(
        "[...document.images].filter(img => !img.hasAttribute('alt')).map(img => img.src)"
    )
    assert missing == []
