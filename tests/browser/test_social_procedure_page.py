"""A citizen on a phone and on a desktop reads a social protection procedure (second, cited
source of the demo catalogue) on a commune site."""

import json

import pytest
from playwright.sync_api import expect

from tests.procedure_helpers import committed, remove_committed_procedures

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CODES = ("1.014027", "2.000744")


@pytest.fixture
def social_procedures(sites, django_db_blocker):
    from tenants.procedures.cited_catalogue import catalogue_rows
    from tenants.procedures.syndication import sync_site
    from tenants.procedures.transfer import import_file

    _data, rows = catalogue_rows()
    chosen = [row for row in rows if row["code"] in CODES]

    def create():
        report = import_file("bao-tro.json", json.dumps(chosen, ensure_ascii=False).encode())
        assert report.errors == []
        sync_site(sites.commune)

    with django_db_blocker.unblock():
        for code in CODES:
            remove_committed_procedures(code)
        committed(create)
        yield
        for code in CODES:
            remove_committed_procedures(code)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_a_social_procedure_reads_on_a_phone_and_a_desktop(
    live_server_port, page, screenshot, social_procedures, sites, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    base = f"http://{sites.commune.primary_domain}:{live_server_port}/thu-tuc-hanh-chinh/"
    page.goto(f"{base}?q=tro+cap+xa+hoi")
    page.get_by_role(
        "link", name="Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí xã hội"
    ).click()
    page.wait_for_url("**/1-014027/")
    expect(page.locator("h1")).to_have_text(
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí xã hội"
    )
    expect(page.locator("ol.procedure__steps > li")).to_have_count(2)
    ways = page.locator("table.procedure__ways tbody tr")
    expect(ways).to_have_count(3)
    expect(ways.nth(0).locator("td").first).to_have_text("10 ngày làm việc")
    expect(page.locator(".procedure__dossier-forms")).to_have_text("Mẫu: Mẫu số 01")
    expect(page.locator("#dieu-kien")).to_contain_text("Từ đủ 75 tuổi trở lên")
    expect(page.get_by_role("link", name="176/2025/NĐ-CP")).to_be_visible()
    submit = page.get_by_role("link", name="Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia")
    expect(submit).to_have_attribute("href", "https://dichvucong.gov.vn/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(f"social-procedure-{width}")

    page.goto(f"{base}2-000744/")
    expect(page.locator(".procedure__quantity").first).to_have_text("1 bản chính")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(f"social-burial-{width}")
