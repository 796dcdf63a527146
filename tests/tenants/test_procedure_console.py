"""The procedure catalogue in the platform console: edit, withdraw, forms, status, retries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.models import ModelLogEntry

from tenants.models import Tenant
from tenants.procedures.models import Procedure, ProcedureVersion, SyndicationReceipt
from tests.procedure_helpers import BASE, make_procedure
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(django_user_model):
    user = django_user_model.objects.create_user("tinh.tthc", password="x", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    console_login(client, user)
    client.user = user
    return client


def form_data(**changes):
    data = {**BASE, "code": "9.920001", **changes}
    return {k: v for k, v in data.items()}


def test_console_requires_platform_staff(sites):
    response = Client(HTTP_HOST="localhost").get("/console/thu-tuc/")
    assert response.status_code == 302
    assert "/console/dang-nhap/" in response["Location"]


def test_creating_a_procedure_audits_it_and_sends_it(sites, console, syndicate):
    with syndicate():
        response = console.post("/console/thu-tuc/them/", form_data(), follow=True)
    assert "Đã thêm thủ tục 9.920001" in response.content.decode()
    procedure = Procedure.objects.get(code="9.920001")
    assert procedure.version == 1
    entry = ModelLogEntry.objects.get(action="procedures.create", object_id=str(procedure.pk))
    assert entry.user_id == console.user.pk
    assert SyndicationReceipt.objects.filter(procedure=procedure, status="done").count() == 2


def test_editing_the_fee_makes_version_2(sites, console, syndicate):
    with syndicate():
        procedure = make_procedure("9.920002")
        console.post("/console/thu-tuc/9.920002/sua/", form_data(code="x", fees="50.000 đồng"))
    procedure.refresh_from_db()
    assert (procedure.version, procedure.fees, procedure.code) == (2, "50.000 đồng", "9.920002")
    updates = ModelLogEntry.objects.filter(action="procedures.update", object_id=str(procedure.pk))
    assert updates.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Thiếu tên thủ tục."),
        ({"levels": []}, "Chọn ít nhất một cấp thực hiện."),
        ({"levels": ["tinh"]}, "Cấp thực hiện “tinh” không hợp lệ."),
        ({"online_url": "khong phai url"}, "không phải URL hợp lệ"),
        ({"code": "1.001193/../x"}, "Mã thủ tục chỉ gồm chữ, số"),
        ({"methods": ["online"], "online_url": ""}, "cần địa chỉ dịch vụ công trực tuyến"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(sites, console, changes, message):
    response = console.post("/console/thu-tuc/them/", form_data(**changes))
    body = response.content.decode()
    assert message in body
    assert "chưa có gì được lưu" in body
    assert not Procedure.objects.filter(code="9.920001").exists()


def test_a_district_procedure_cannot_target_the_province_level(sites, console):
    response = console.post(
        "/console/thu-tuc/them/", form_data(owner=sites.district.code, levels=["province"])
    )
    assert "chỉ áp dụng cho cấp huyện hoặc cấp xã" in response.content.decode()
    assert not Procedure.objects.exists()


def test_withdraw_and_refuse_a_second_withdrawal(sites, console, syndicate):
    with syndicate():
        make_procedure("9.920003")
        console.post("/console/thu-tuc/9.920003/withdraw/")
    assert Procedure.objects.get(code="9.920003").status == "withdrawn"
    response = console.post("/console/thu-tuc/9.920003/withdraw/", follow=True)
    assert "đã bị thu hồi. Không có gì thay đổi." in response.content.decode()
    assert ProcedureVersion.objects.filter(procedure__code="9.920003").count() == 2


def test_forms_are_uploaded_and_bad_files_refused(sites, console, syndicate):
    with syndicate():
        make_procedure("9.920004")
        response = console.post(
            "/console/thu-tuc/9.920004/add-form/",
            {"title": "Tờ khai", "file": SimpleUploadedFile("a.exe", b"MZ")},
            follow=True,
        )
    assert "Chỉ nhận tệp PDF" in response.content.decode()
    assert Procedure.objects.get(code="9.920004").version == 1
    with syndicate():
        console.post(
            "/console/thu-tuc/9.920004/add-form/",
            {"title": "Tờ khai", "file": SimpleUploadedFile("to-khai.docx", b"PK docx")},
        )
    procedure = Procedure.objects.get(code="9.920004")
    assert procedure.version == 2
    form = procedure.forms.get()
    response = console.get(f"/console/thu-tuc/9.920004/bieu-mau/{form.pk}/")
    assert b"".join(response.streaming_content) == b"PK docx"


def test_status_pages_show_failures_with_the_error_and_retry_them(sites, console, syndicate):
    real = sites.direct_commune.schema_name
    Tenant.objects.filter(pk=sites.direct_commune.pk).update(schema_name="mat_tich")
    with syndicate():
        make_procedure("9.920005")
    body = console.get("/console/thu-tuc/9.920005/").content.decode()
    assert "1 đã cập nhật · 0 đang chờ · 1 lỗi" in body
    assert "mat_tich" in body
    body = console.get(f"/console/thu-tuc/trang/{sites.direct_commune.code}/").content.decode()
    assert "0 đã cập nhật" in body and "1 lỗi" in body
    Tenant.objects.filter(pk=sites.direct_commune.pk).update(schema_name=real)
    with syndicate():
        console.post(f"/console/thu-tuc/trang/{sites.direct_commune.code}/gui-lai/")
    body = console.get("/console/thu-tuc/9.920005/").content.decode()
    assert "2 đã cập nhật · 0 đang chờ · 0 lỗi" in body
    assert ModelLogEntry.objects.filter(
        action="procedures.retry", object_id=str(sites.direct_commune.pk)
    ).exists()


def test_catalogue_search_ignores_diacritics(sites, console, eager):
    make_procedure("9.920006", name="Đăng ký kết hôn thử")
    make_procedure("9.920007", name="Cấp bản sao trích lục thử")
    body = console.get("/console/thu-tuc/", {"q": "dang ky ket hon"}).content.decode()
    assert "Đăng ký kết hôn thử" in body
    assert "Cấp bản sao trích lục thử" not in body
