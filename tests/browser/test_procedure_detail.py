"""A citizen on a phone reads a procedure's official detail on a commune site."""

import json

import pytest
from playwright.sync_api import expect

from tests.procedure_helpers import committed, make_procedure, remove_committed_procedures

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CODE = "9.950001"  # test-only code
WAYS = [
    {
        "method": "in_person",
        "label": "Trực tiếp",
        "time": "1 Ngày làm việc",
        "fee": "8.000 Đồng (Miễn lệ phí cho người thuộc hộ nghèo)",
        "description": "Nộp tại Bộ phận Một cửa của Ủy ban nhân dân xã",
    },
    {
        "method": "online",
        "label": "Trực tuyến",
        "time": "1 Ngày làm việc",
        "fee": "Miễn phí",
        "description": "",
    },
]


@pytest.fixture
def rich_procedure(sites, django_db_blocker):
    from tenants.procedures.syndication import sync_site

    def create():
        make_procedure(
            CODE,
            name="Đăng ký khai sinh (kiểm thử trên điện thoại)",
            subjects="Công dân Việt Nam",
            competent_body="Ủy ban nhân dân cấp xã",
            # No address of its own: the button goes to the procedure's national page.
            online_url="",
            national_url="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/kiem-thu-9950001",
            step_list=json.dumps(["Nộp tờ khai.", "Công chức kiểm tra.", "Trả kết quả."]),
            submission_ways=json.dumps(WAYS, ensure_ascii=False),
            dossier_items=json.dumps(
                [
                    {
                        "group": "Giấy tờ phải nộp",
                        "name": "Tờ khai đăng ký khai sinh theo mẫu",
                        "forms": ["To khai khai sinh.docx"],
                        "originals": 1,
                        "copies": 0,
                    }
                ],
                ensure_ascii=False,
            ),
            legal_documents=json.dumps(
                [{"number": "123/2015/NĐ-CP", "title": "Nghị định hướng dẫn Luật Hộ tịch"}],
                ensure_ascii=False,
            ),
        )
        sync_site(sites.commune)

    with django_db_blocker.unblock():
        remove_committed_procedures(CODE)
        committed(create)
        yield
        remove_committed_procedures(CODE)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_the_procedure_page_reads_on_a_phone_and_a_desktop(
    live_server_port, page, screenshot, rich_procedure, sites, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(
        f"http://{sites.commune.primary_domain}:{live_server_port}/thu-tuc-hanh-chinh/9-950001/"
    )
    expect(page.locator("h1")).to_have_text("Đăng ký khai sinh (kiểm thử trên điện thoại)")
    steps = page.locator("ol.procedure__steps > li")
    expect(steps).to_have_count(3)
    expect(steps.nth(1)).to_have_text("Công chức kiểm tra.")
    ways = page.locator("table.procedure__ways tbody tr")
    expect(ways).to_have_count(2)
    expect(ways.nth(0).locator("td").nth(1)).to_contain_text("8.000 Đồng")
    expect(page.locator(".procedure__quantity")).to_have_text("1 bản chính")
    expect(page.get_by_role("link", name="123/2015/NĐ-CP")).to_be_visible()
    submit = page.get_by_role("link", name="Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia")
    expect(submit).to_have_attribute(
        "href", "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/kiem-thu-9950001"
    )
    # The page itself never scrolls sideways; a wide table scrolls inside its own box.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(f"procedure-detail-{width}")

    page.get_by_role("link", name="123/2015/NĐ-CP").click()
    page.wait_for_url("**/tim-kiem/**")
    expect(page.locator("main")).to_contain_text("“123/2015/NĐ-CP”")
