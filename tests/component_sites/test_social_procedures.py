"""Social protection procedures (second, cited source of the demo catalogue) on a commune:
found by words without diacritics, each section of their page, the open-data JSON."""

import pytest
from django.db import connection
from django.test import Client

from tenants.procedures.management.commands.import_procedures import DEMO_FILE

pytestmark = pytest.mark.django_db

URL = "/thu-tuc-hanh-chinh/"
BURIAL = "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"
EMERGENCY_BURIAL = "Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí mai táng"
EMERGENCY_CARE = "Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội"
PENSION = "Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí xã hội"
HARDSHIP = (
    "Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội"
)


@pytest.fixture
def commune(sites, syndicate):
    from tenants.procedures.transfer import import_file

    with syndicate():
        report = import_file(DEMO_FILE.name, DEMO_FILE.read_bytes())
    assert report.errors == []
    connection.set_schema_to_public()
    return Client(HTTP_HOST=sites.commune.primary_domain)


def test_tro_cap_xa_hoi_finds_them_on_a_commune(commune):
    listed = commune.get(URL, {"q": "tro cap xa hoi"}).content.decode()
    for name in (PENSION, EMERGENCY_BURIAL, EMERGENCY_CARE, HARDSHIP):
        assert f"{name}</a>" in listed
    # the burial support's name and field have no "cấp": the words must all match
    assert f"{BURIAL}</a>" not in listed
    by_field = commune.get(URL, {"q": "bao tro xa hoi"}).content.decode()
    for name in (BURIAL, PENSION, EMERGENCY_BURIAL, EMERGENCY_CARE, HARDSHIP):
        assert f"{name}</a>" in by_field
    found = commune.get("/tim-kiem/", {"q": "mai tang", "loai": "thu-tuc"}).content.decode()
    assert BURIAL in found and EMERGENCY_BURIAL in found


def test_their_page_shows_each_section(commune):
    body = commune.get(f"{URL}2-000744/").content.decode()
    assert f"<h1>{EMERGENCY_BURIAL}</h1>" in body
    assert (
        '<ol class="procedure__steps">' in body and "gửi Chủ tịch Ủy ban nhân dân cấp xã." in body
    )
    assert (
        '<th scope="row">Trực tuyến</th><td data-label="Thời hạn">03 Ngày làm việc</td>'
        '<td data-label="Phí, lệ phí">Không</td>'
    ) in body
    assert '<span class="procedure__quantity">1 bản chính</span>' in body
    assert "Mẫu: Mau so 04.docx" in body
    # the form is named but not attached: the page says where it comes from, not "no forms"
    assert "Thủ tục không có biểu mẫu." not in body
    assert "Thành phần hồ sơ nêu mẫu: Mau so 04.docx." in body
    assert "50 lần mức chuẩn trợ giúp xã hội" in body  # conditions (Điều 14)
    assert "/tim-kiem/?loai=van-ban&amp;q=20/2021/N%C4%90-CP" in body
    assert "Quyết định hỗ trợ chi phí mai táng." in body and "Tổ chức" in body
    # no page address in the sources: the button goes to the portal, which is searched by code
    assert 'href="https://dichvucong.gov.vn/" rel="noopener">Nộp hồ sơ trực tuyến' in body
    assert "(Chưa cung cấp trực tuyến)" not in body  # no level recorded: no contradicting label
    assert "Trên Cổng DVC quốc gia" not in body
    care = commune.get(f"{URL}2-000282/").content.decode()
    assert "<h2>Cách thức thực hiện</h2>" not in care  # no ways in the sources
    assert "Nộp hồ sơ trực tuyến" not in care
    assert "10 ngày làm việc, kể từ khi tiếp nhận đối tượng" in care
    assert "Mẫu: Mẫu số 07" in care and "Nạn nhân của bạo lực gia đình" in care


def test_the_social_pension_page_says_who_decides(commune):
    body = commune.get(f"{URL}1-014027/").content.decode()
    assert f"<h1>{PENSION}</h1>" in body
    assert "Chủ tịch Ủy ban nhân dân cấp xã" in body and "Từ đủ 75 tuổi trở lên" in body
    assert '<td data-label="Thời hạn">10 ngày làm việc</td>' in body
    assert "Mẫu: Mẫu số 01" in body and "q=176/2025/N%C4%90-CP" in body


def test_the_json_carries_their_structure(commune):
    data = commune.get("/api/v1/procedures/1.001731/").json()
    assert data["name"] == BURIAL and data["field"] == "Bảo trợ xã hội"
    assert len(data["step_list"]) == 3 and data["step_list"][1].endswith("gửi Phòng Y tế.")
    assert [w["time"] for w in data["submission_ways"]] == ["05 Ngày làm việc"] * 3
    assert data["legal_documents"][0]["number"] == "20/2021/NĐ-CP"
    assert data["national_url"] == "" and data["online_url"] == "https://dichvucong.gov.vn/"
