"""Rich procedure records on a site: the page's sections, the JSON, syndication and overrides,
search by name without diacritics and by code, documents found by their number."""

import json

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.procedures.models import ProcedureCopy
from tenants.procedures.management.commands.import_procedures import DEMO_FILE
from tenants.procedures.models import SyndicationReceipt
from tests.component_sites.factories import classifications, documents_index, make_legal_document
from tests.procedure_helpers import edit_procedure, make_procedure

pytestmark = pytest.mark.django_db

URL = "/thu-tuc-hanh-chinh/"
CODE = "9.960001"  # test-only code
DETAIL = {
    "subjects": "Công dân Việt Nam",
    "competent_body": "Ủy ban nhân dân cấp xã",
    "national_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/kiem-thu-9960001",
    "step_list": json.dumps(
        [
            "Nộp tờ khai tại Bộ phận một cửa.",
            "Công chức tư pháp – hộ tịch kiểm tra.",
            "Trả kết quả.",
        ]
    ),
    "submission_ways": json.dumps(
        [
            {
                "method": "in_person",
                "label": "Trực tiếp",
                "time": "1 Ngày làm việc",
                "fee": "8.000 Đồng",
                "description": "",
            },
            {
                "method": "online",
                "label": "Trực tuyến",
                "time": "2 Ngày làm việc",
                "fee": "Miễn phí",
                "description": "Qua Cổng DVC",
            },
        ]
    ),
    "dossier_items": json.dumps(
        [
            {
                "group": "Giấy tờ phải nộp",
                "name": "Tờ khai đăng ký khai sinh theo mẫu",
                "forms": ["To khai khai sinh.docx"],
                "originals": 1,
                "copies": 0,
            },
            {
                "group": "Giấy tờ phải xuất trình",
                "name": "Giấy chứng sinh",
                "forms": [],
                "originals": 0,
                "copies": 2,
            },
        ]
    ),
    "legal_documents": json.dumps(
        [{"number": "123/2015/NĐ-CP", "title": "Nghị định quy định chi tiết Luật Hộ tịch"}]
    ),
}


@pytest.fixture
def rich(sites, syndicate):
    with syndicate():
        procedure = make_procedure(CODE, name="Đăng ký khai sinh thử nghiệm", **DETAIL)
    connection.set_schema_to_public()
    return procedure


def commune(sites):
    return Client(HTTP_HOST=sites.commune.primary_domain)


def test_the_copy_carries_the_structure(rich, sites):
    with schema_context(sites.commune.schema_name):
        copy = ProcedureCopy.objects.get(code=CODE)
    assert copy.step_list == json.loads(DETAIL["step_list"])
    assert copy.submission_ways[0]["fee"] == "8.000 Đồng"
    assert copy.dossier_items[1]["copies"] == 2
    assert copy.legal_documents == [
        {"number": "123/2015/NĐ-CP", "title": "Nghị định quy định chi tiết Luật Hộ tịch"}
    ]
    assert (copy.subjects, copy.competent_body) == ("Công dân Việt Nam", "Ủy ban nhân dân cấp xã")


def test_the_page_shows_each_section(rich, sites):
    body = commune(sites).get(f"{URL}9-960001/").content.decode()
    # numbered steps
    assert '<ol class="procedure__steps">' in body
    assert "<li>Công chức tư pháp – hộ tịch kiểm tra.</li>" in body
    # the ways with time and fee per way
    assert '<table class="procedure__ways">' in body
    assert (
        '<th scope="row">Trực tiếp</th><td data-label="Thời hạn">1 Ngày làm việc</td>'
        '<td data-label="Phí, lệ phí">8.000 Đồng</td>'
    ) in body
    assert (
        '<th scope="row">Trực tuyến</th><td data-label="Thời hạn">2 Ngày làm việc</td>'
        '<td data-label="Phí, lệ phí">Miễn phí</td>'
    ) in body
    # the dossier checklist with quantities and its form
    assert "Giấy tờ phải xuất trình" in body
    assert '<span class="procedure__quantity">1 bản chính</span>' in body
    assert '<span class="procedure__quantity">2 bản sao</span>' in body
    assert "To khai khai sinh.docx" in body
    # legal documents linked to their search by number
    assert "/tim-kiem/?loai=van-ban&amp;q=123/2015/N%C4%90-CP" in body
    # bodies, subjects, the national portal by code
    assert "Công dân Việt Nam" in body and "Cơ quan có thẩm quyền" in body
    assert 'href="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/kiem-thu-9960001"' in body
    assert "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia" in body


def test_the_json_carries_the_same_structured_fields(rich, sites):
    data = commune(sites).get(f"/api/v1/procedures/{CODE}/").json()
    assert data["step_list"] == json.loads(DETAIL["step_list"])
    assert data["submission_ways"] == json.loads(DETAIL["submission_ways"])
    assert data["dossier_items"] == json.loads(DETAIL["dossier_items"])
    assert data["legal_documents"] == json.loads(DETAIL["legal_documents"])
    assert data["national_url"] == DETAIL["national_url"]
    assert data["subjects"] == "Công dân Việt Nam"
    listed = commune(sites).get("/api/v1/procedures/", {"q": "9.960001"}).json()
    assert listed["results"][0]["submission_ways"][1]["method"] == "online"


def test_a_new_version_of_the_structure_reaches_the_site_and_keeps_local_fields(
    rich, sites, syndicate
):
    with schema_context(sites.commune.schema_name):
        ProcedureCopy.objects.filter(code=CODE).update(
            receiving_office="Bộ phận Một cửa xã", local_notes="Nhận hồ sơ sáng thứ Bảy"
        )
    connection.set_schema_to_public()
    ways = json.loads(DETAIL["submission_ways"])
    ways[0]["fee"] = "10.000 Đồng"
    with syndicate():
        edited = edit_procedure(rich, submission_ways=json.dumps(ways, ensure_ascii=False))
    assert edited.version == 2
    with schema_context(sites.commune.schema_name):
        copy = ProcedureCopy.objects.get(code=CODE)
        assert copy.version == 2
        assert copy.submission_ways[0]["fee"] == "10.000 Đồng"
        assert copy.receiving_office == "Bộ phận Một cửa xã"
        assert copy.local_notes == "Nhận hồ sơ sáng thứ Bảy"
    connection.set_schema_to_public()
    receipt = SyndicationReceipt.objects.get(tenant=sites.commune, procedure=rich, version=2)
    assert receipt.status == SyndicationReceipt.Status.DONE
    body = commune(sites).get(f"{URL}9-960001/").content.decode()
    assert "10.000 Đồng" in body and "Bộ phận Một cửa xã" in body


def test_saving_the_same_structure_makes_no_version(rich, sites, syndicate):
    with syndicate():
        same = edit_procedure(rich)
    assert same.version == 1


def test_a_late_older_version_does_not_undo_the_structure(rich, sites, syndicate):
    from tenants.procedures.syndication import upsert_copies

    with syndicate():
        edit_procedure(rich, step_list=json.dumps(["Một bước duy nhất."], ensure_ascii=False))
    first = rich.versions.get(version=1)
    assert upsert_copies(sites.commune.schema_name, [first]) == 0
    with schema_context(sites.commune.schema_name):
        assert ProcedureCopy.objects.get(code=CODE).step_list == ["Một bước duy nhất."]


def test_a_procedure_without_structure_keeps_its_text_sections(sites, syndicate):
    with syndicate():
        make_procedure("9.960002", name="Thủ tục chỉ có văn bản")
    connection.set_schema_to_public()
    body = commune(sites).get(f"{URL}9-960002/").content.decode()
    assert "Bước 2: nhận kết quả." in body and "Tờ khai theo mẫu." in body
    assert '<table class="procedure__ways">' not in body


# --- search by name without diacritics and by code -----------------------------------------


@pytest.fixture
def demo_catalogue(sites, syndicate):
    from tenants.procedures.transfer import import_file

    with syndicate():
        report = import_file(DEMO_FILE.name, DEMO_FILE.read_bytes())
    assert report.errors == []
    connection.set_schema_to_public()


@pytest.mark.parametrize("host", ["commune", "direct_commune"])
def test_a_name_without_diacritics_finds_the_procedure_on_every_commune(
    demo_catalogue, sites, host
):
    client = Client(HTTP_HOST=getattr(sites, host).primary_domain)
    listed = client.get(URL, {"q": "dang ky khai sinh"}).content.decode()
    assert "Thủ tục đăng ký khai sinh</a>" in listed
    found = client.get("/tim-kiem/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Thủ tục đăng ký khai sinh" in found


def test_the_code_finds_the_procedure(demo_catalogue, sites):
    client = commune(sites)
    listed = client.get(URL, {"q": "1.001193"}).content.decode()
    assert "Thủ tục đăng ký khai sinh</a>" in listed
    assert "Thủ tục đăng ký kết hôn</a>" not in listed
    found = client.get("/tim-kiem/", {"q": "1.001193", "loai": "thu-tuc"}).content.decode()
    assert "Thủ tục đăng ký khai sinh" in found
    assert "Thủ tục đăng ký kết hôn" not in found


def test_the_demo_detail_page_of_a_commune_shows_its_official_content(demo_catalogue, sites):
    body = commune(sites).get(f"{URL}1-001193/").content.decode()
    assert '<ol class="procedure__steps">' in body
    assert '<table class="procedure__ways">' in body
    assert "bản chính" in body
    assert "123/2015/NĐ-CP" in body
    assert "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/" in body


# --- documents by number ---------------------------------------------------------------------


@pytest.fixture
def numbered(sites):
    with schema_context(sites.commune.schema_name):
        kinds = classifications()
        index = documents_index()
        for number, kind, abstract in (
            ("13/2023/NĐ-CP", "nghi-dinh", "Về bảo vệ dữ liệu cá nhân"),
            ("22/TB-UBND", "quyet-dinh", "Thông báo lịch tiếp công dân"),
            ("194/QĐ-UBND", "quyet-dinh", "Về việc công bố thủ tục hành chính"),
            ("1940/QĐ-UBND", "quyet-dinh", "Về kế hoạch chuyển đổi số"),
            ("13/2020/NĐ-CP", "nghi-dinh", "Hướng dẫn chi tiết Luật Chăn nuôi"),
        ):
            make_legal_document(
                index,
                number=number,
                document_type=kinds[kind],
                issuing_body=kinds["ubnd"],
                title=abstract,
                abstract=abstract,
            )
    connection.set_schema_to_public()
    return commune(sites)


TITLES = {
    "Về bảo vệ dữ liệu cá nhân": "13/2023/NĐ-CP",
    "Thông báo lịch tiếp công dân": "22/TB-UBND",
    "Về việc công bố thủ tục hành chính": "194/QĐ-UBND",
    "Về kế hoạch chuyển đổi số": "1940/QĐ-UBND",
    "Hướng dẫn chi tiết Luật Chăn nuôi": "13/2020/NĐ-CP",
}


def listed_numbers(body):
    """The numbers of the documents listed (by their titles: the query is echoed in the page)."""
    return sorted(number for title, number in TITLES.items() if title in body)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("13/2023/NĐ-CP", ["13/2023/NĐ-CP"]),
        ("13/2023/nd-cp", ["13/2023/NĐ-CP"]),
        ("22/TB-UBND", ["22/TB-UBND"]),
        ("194", ["194/QĐ-UBND"]),
    ],
)
def test_the_document_list_finds_documents_by_number(numbered, query, expected):
    body = numbered.get("/van-ban/", {"q": query}).content.decode()
    assert listed_numbers(body) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("13/2023/NĐ-CP", ["13/2023/NĐ-CP"]),
        ("22/TB-UBND", ["22/TB-UBND"]),
        ("194", ["194/QĐ-UBND"]),
    ],
)
def test_the_site_search_finds_documents_by_number(numbered, query, expected):
    body = numbered.get("/tim-kiem/", {"q": query, "loai": "van-ban"}).content.decode()
    assert listed_numbers(body) == expected


def test_a_number_nobody_issued_finds_nothing_and_says_so(numbered):
    response = numbered.get("/van-ban/", {"q": "999/QĐ-UBND"})
    assert response.status_code == 200
    assert listed_numbers(response.content.decode()) == []
