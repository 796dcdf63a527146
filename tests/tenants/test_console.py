"""The platform console: create a site from the official list, lifecycle actions, audit trail."""

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry

from tenants.models import Tenant
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db

HOST = "localhost"


@pytest.fixture
def console(django_user_model):
    user = django_user_model.objects.create_user(
        "tinh.admin", password="Mat-khau-2026", is_staff=True
    )
    client = Client(HTTP_HOST=HOST)
    console_login(client, user)
    client.user = user
    return client


def test_create_form_offers_only_units_whose_parent_has_a_site(sites, console):
    body = console.get("/console/tao-trang/").content.decode()
    assert "Thị trấn Lương Sơn (04924)" in body  # under Lương Sơn (152), which has a site
    assert "Phường Đồng Tiến (04804)" not in body  # under 148, which has none yet
    assert "Thành phố Hòa Bình (148)" in body
    assert "Xã Nhuận Trạch (04954)" not in body  # already has a site


def test_creating_a_site_from_the_list_audits_it_and_shows_the_one_time_link(sites, console):
    response = console.post("/console/tao-trang/", {"unit": "04924"}, follow=True)
    assert response.status_code == 200
    tenant = Tenant.objects.get(code="04924")
    assert tenant.name == "Thị trấn Lương Sơn"
    assert tenant.parent.code == "152"
    assert tenant.primary_domain == "ttluongson.hoabinh.test.localhost"
    body = response.content.decode()
    assert "http://ttluongson.hoabinh.test.localhost/admin/password_reset/confirm/" in body
    entry = ModelLogEntry.objects.get(action="tenants.create", object_id=str(tenant.pk))
    assert entry.user_id == console.user.pk


def test_create_refuses_a_unit_not_offered_and_a_taken_domain(sites, console):
    before = Tenant.objects.count()
    response = console.post("/console/tao-trang/", {"unit": "00001"})
    assert "thuộc Thành phố Hà Nội (mã 01), không thuộc" in response.content.decode()
    response = console.post(
        "/console/tao-trang/", {"unit": "04924", "domain": sites.commune.primary_domain}
    )
    assert (
        f"Tên miền này đã được gán cho một trang khác: {sites.commune.name} "
        f"(mã {sites.commune.code}, tên miền chính)."
    ) in response.content.decode()
    assert Tenant.objects.count() == before


def test_lifecycle_actions_from_the_console(sites, console):
    url = f"/console/trang/{sites.commune.code}/"
    console.post(url + "suspend/", {"notice": "Bảo trì"})
    assert Tenant.objects.get(pk=sites.commune.pk).status == "suspended"
    page = console.get(url).content.decode()
    assert "trạng thái: Đang hoạt động → <strong>Tạm ngừng</strong>" in page
    refused = console.post(f"/console/trang/{sites.province.code}/archive/", follow=True)
    assert "Không thể lưu trữ cổng thông tin cấp tỉnh" in refused.content.decode()
    assert Tenant.objects.get(pk=sites.province.pk).status == "active"


def test_audit_log_lists_who_did_what(sites, console):
    console.post(f"/console/trang/{sites.commune.code}/rename/", {"name": "Xã Nhuận Trạch mới"})
    body = console.get("/console/nhat-ky/").content.decode()
    assert "tinh.admin" in body
    assert "tên: Xã Nhuận Trạch → <strong>Xã Nhuận Trạch mới</strong>" in body


def test_console_actions_need_platform_staff(sites, django_user_model):
    clerk = django_user_model.objects.create_user("khong.phai.canbo", password="x" * 12)
    client = Client(HTTP_HOST=HOST)
    console_login(client, clerk)
    response = client.post(f"/console/trang/{sites.commune.code}/suspend/")
    assert response.status_code == 403
    assert Tenant.objects.get(pk=sites.commune.pk).status == "active"


def test_locked_out_console_account_is_told_so(sites, django_user_model):
    from component_sites.accounts.lockout import LOCKED_MESSAGE

    django_user_model.objects.create_user("tinh.khoa", password="Mat-khau-2026", is_staff=True)
    client = Client(HTTP_HOST=HOST)
    login = {"username": "tinh.khoa", "password": "sai-mat-khau"}
    first = client.post("/console/dang-nhap/", login).content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in first and LOCKED_MESSAGE not in first
    for _ in range(4):
        client.post("/console/dang-nhap/", login)
    response = client.post(
        "/console/dang-nhap/", {"username": "tinh.khoa", "password": "Mat-khau-2026"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert LOCKED_MESSAGE in body
    assert "Tên đăng nhập hoặc mật khẩu không đúng" not in body
    assert "_auth_user_id" not in client.session
