"""The procedures section of a site: list, diacritic-insensitive search, detail, forms, API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.core.models import SectionPage
from component_sites.procedures.models import ProcedureCopy, ProcedureIndexPage
from tenants.procedures import services
from tests.procedure_helpers import make_procedure

pytestmark = pytest.mark.django_db

URL = "/thu-tuc-hanh-chinh/"


@pytest.fixture
def site(sites, syndicate):
    with syndicate():
        birth = make_procedure("9.910001", name="Cấp giấy khai sinh thử nghiệm", field="Hộ tịch")
        make_procedure(
            "9.910002",
            name="Đăng ký hoạt động tín ngưỡng",
            field="Tôn giáo",
            levels=["commune", "district"],
            online_service_level="",
            online_url="",
            methods=["in_person"],
        )
        gone = make_procedure("9.910003", name="Thủ tục đã bãi bỏ")
        services.add_form(
            birth,
            "Tờ khai đăng ký khai sinh",
            SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4 to khai", "application/pdf"),
        )
    with syndicate():
        services.withdraw(gone)
    connection.set_schema_to_public()
    return Client(HTTP_HOST=sites.commune.primary_domain)


def test_new_sites_have_a_procedure_index_for_the_procedures_section(sites):
    with schema_context(sites.commune.schema_name):
        section = SectionPage.objects.get(section_key="procedures")
        assert isinstance(section.specific, ProcedureIndexPage)


def test_the_list_shows_active_procedures_only(site):
    body = site.get(URL).content.decode()
    assert "Cấp giấy khai sinh thử nghiệm" in body
    assert "Đăng ký hoạt động tín ngưỡng" in body
    assert "Thủ tục đã bãi bỏ" not in body


def test_search_ignores_diacritics(site):
    body = site.get(URL, {"q": "cap giay khai sinh"}).content.decode()
    assert "Cấp giấy khai sinh thử nghiệm" in body
    assert "Đăng ký hoạt động tín ngưỡng" not in body
    body = site.get(URL, {"q": "TÍN NGƯỠNG"}).content.decode()
    assert "Đăng ký hoạt động tín ngưỡng" in body


def test_filters_by_field_and_level(site):
    body = site.get(URL, {"linh-vuc": "Tôn giáo"}).content.decode()
    assert "tín ngưỡng" in body and "khai sinh thử" not in body
    body = site.get(URL, {"cap": "district"}).content.decode()
    assert "tín ngưỡng" in body and "khai sinh thử" not in body


def test_detail_shows_every_field_local_ones_and_the_online_link(site, sites):
    with schema_context(sites.commune.schema_name):
        ProcedureCopy.objects.filter(code="9.910001").update(address="Số 1 đường Trần Phú")
    connection.set_schema_to_public()
    body = site.get(URL + "9-910001/").content.decode()
    for text in (
        "Cấp giấy khai sinh thử nghiệm",
        "Hộ tịch",
        "Cấp xã",
        "Trực tiếp, Trực tuyến",
        "Ngay trong ngày làm việc.",
        "Miễn lệ phí.",
        "Ủy ban nhân dân cấp xã",
        "Giấy khai sinh.",
        "Luật Hộ tịch năm 2014.",
        "Bước 2: nhận kết quả.",
        "Tờ khai theo mẫu.",
        "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
        "Dịch vụ công trực tuyến toàn trình",
        "Số 1 đường Trần Phú",
        "Tờ khai đăng ký khai sinh",
    ):
        assert text in body, text


def test_forms_download_from_the_site(site):
    body = site.get(URL + "9-910001/").content.decode()
    assert "/bieu-mau/" in body
    from tenants.procedures.models import ProcedureForm

    form = ProcedureForm.objects.get(title="Tờ khai đăng ký khai sinh")
    response = site.get(f"{URL}9-910001/bieu-mau/{form.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 to khai"
    assert site.get(f"{URL}9-910001/bieu-mau/999999/").status_code == 404


def test_unknown_procedure_is_404(site):
    assert site.get(URL + "0-000000/").status_code == 404


def test_api_lists_the_sites_procedures_paginated(site):
    data = site.get("/api/v1/procedures/", {"page_size": 1}).json()
    assert data["count"] == 2
    assert data["pages"] == 2
    assert data["results"][0]["code"] == "9.910001"
    assert data["next"].endswith("/api/v1/procedures/?page_size=1&page=2")
    second = site.get("/api/v1/procedures/", {"page": 2, "page_size": 1}).json()
    assert second["results"][0]["code"] == "9.910002"
    assert site.get("/api/v1/procedures/", {"q": "tin nguong"}).json()["count"] == 1
    assert site.get("/api/v1/procedures/", {"status": "all"}).json()["count"] == 3


def test_api_detail_and_index(site):
    detail = site.get("/api/v1/procedures/9.910001/").json()
    assert detail["fees"] == "Miễn lệ phí."
    assert detail["forms"][0]["title"] == "Tờ khai đăng ký khai sinh"
    index = site.get("/api/v1/").json()
    assert "procedures" in [dataset["name"] for dataset in index["datasets"]]


@pytest.mark.parametrize(
    "params",
    [{"page": "x"}, {"page_size": "1000"}, {"page": "0"}, {"status": "nope"}, {"level": "x"}],
)
def test_api_refuses_bad_parameters_in_vietnamese(site, params):
    response = site.get("/api/v1/procedures/", params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_api_page_past_the_end_is_404(site):
    assert site.get("/api/v1/procedures/", {"page": 9}).status_code == 404
    assert site.get("/api/v1/procedures/0.000000/").status_code == 404
