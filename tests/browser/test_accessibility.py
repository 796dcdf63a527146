"""Reading aids and keyboard use on a site: skip link, font size, high contrast, alt text."""

import pytest

from tests.browser.test_citizen_flows import content  # noqa: F401 - the pages checked

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


# -- axe-core: WCAG 2.2 AA and best practice on every page type, phone and desktop ---------

# axe-core itself comes from the axe-playwright-python package (its bundled axe.min.js,
# axe 4.12): it is evaluated through Playwright's page.evaluate, which the pages' CSP does
# not block, so the check runs against the real policy (no bypass_csp).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def page_types(made, sites):
    """One URL per public page type of a site (content from the citizen-flows fixture)."""
    from component_sites.core.models import SectionPage
    from tests.committed import committed

    def sections():
        from tests.component_sites import factories

        home = factories.home()
        return [
            "/" + s.url_path.strip("/").split("/", 1)[1] + "/"
            for s in SectionPage.objects.child_of(home).live().order_by("path")
        ]

    paths = committed(sections, sites.direct_commune.schema_name)
    return [
        "/",
        *paths,
        made["article_path"],
        made["document_path"],
        made["draft_path"],
        made["album_path"],
        made["english_path"],
        made["english_path"] + "contact/",
        f"/thong-bao-khan/{made['alert']}/",
        f"/tuong-tac/bai-viet/{made['article']}/binh-luan/",
        f"/tuong-tac/bai-viet/{made['article']}/danh-gia/?diem=4",
        "/tuong-tac/danh-gia-dich-vu/",
        "/hoi-dap/dat-cau-hoi/",
        "/hoi-dap/phan-anh-kien-nghi/",
        "/hoi-dap/tra-cuu/",
        "/tim-kiem/?q=xa",
        "/so-do-trang/",
        "/khong-co-trang-nay/",
    ]


@pytest.mark.parametrize(
    "viewport",
    [{"width": 390, "height": 844}, {"width": 1366, "height": 900}],
    ids=["phone", "desktop"],
)
def test_axe_finds_no_violation_on_any_page_type(
    live_server_port,
    page,
    sites,
    content,  # noqa: F811 - the fixture imported above
    django_db_blocker,
    viewport,
):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.set_viewport_size(viewport)
    with django_db_blocker.unblock():
        urls = page_types(content, sites)
    found = {}
    for path in urls:
        page.goto(f"http://{HOST}:{live_server_port}{path}")
        page.wait_for_load_state("load")
        results = axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        assert results.response["testEngine"]["name"] == "axe-core"
        assert results.response["passes"], f"axe checked nothing on {path}"
        violations = results.response["violations"]
        if violations:
            found[path] = [
                f"{v['id']} ({len(v['nodes'])}): {v['nodes'][0]['target']} "
                f"{v['nodes'][0]['failureSummary'][:300]}"
                for v in violations
            ]
    assert not found, "\n".join(f"{path}: {issues}" for path, issues in found.items())
