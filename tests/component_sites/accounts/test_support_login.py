"""Support login from the console: signed, time-limited, single-use, audited."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from component_sites.accounts import support
from component_sites.accounts.support import SALT
from tenants.support_login import support_link
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(sites):
    return get_user_model().objects.create_user(
        "tinh.hotro", password="x-2026-khong-dung", is_staff=True
    )


def _path(link):
    return link.split("://", 1)[1].split("/", 1)[1]


def test_console_link_logs_the_operator_in_once(sites, operator):
    link = support_link(sites.commune, operator, verified=True)
    assert ModelLogEntry.objects.filter(action="tenants.support_login").count() == 1
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    response = client.get("/" + _path(link))
    assert (response.status_code, response.url) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    with schema_context(sites.commune.schema_name):
        account = get_user_model().objects.get(username="hotro.tinh.hotro")
        assert account.is_superuser and not account.has_usable_password()
        assert ModelLogEntry.objects.filter(action="editorial.support_login").count() == 1
    again = Client(HTTP_HOST=sites.commune.primary_domain).get("/" + _path(link))
    assert again.status_code == 403
    assert "đã được dùng" in again.content.decode()


def test_expired_link_is_refused(sites, operator):
    link = support_link(sites.commune, operator, verified=True)
    with mock.patch.object(support, "MAX_AGE", -1):
        response = Client(HTTP_HOST=sites.commune.primary_domain).get("/" + _path(link))
    assert response.status_code == 403
    assert "đã hết hạn" in response.content.decode()
    with schema_context(sites.commune.schema_name):
        assert not get_user_model().objects.filter(username="hotro.tinh.hotro").exists()


def test_forged_or_other_site_link_is_refused(sites, operator):
    forged = signing.dumps(
        {"site": sites.commune.schema_name, "op": "ke-gian", "n": "x"}, salt="khac"
    )
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    response = client.get(f"/admin/ho-tro/{forged}/")
    assert response.status_code == 403
    assert "không hợp lệ" in response.content.decode()
    other = signing.dumps({"site": sites.district.schema_name, "op": "a", "n": "y"}, salt=SALT)
    response = client.get(f"/admin/ho-tro/{other}/")
    assert "không dành cho trang này" in response.content.decode()
    with schema_context(sites.commune.schema_name):
        assert not get_user_model().objects.filter(username__startswith="hotro.").exists()


def test_console_button_redirects_staff_to_the_site(sites, operator):
    client = Client(HTTP_HOST="localhost")
    console_login(client, operator)
    assert (
        "Đăng nhập hỗ trợ" in client.get(f"/console/trang/{sites.commune.code}/").content.decode()
    )
    response = client.post(f"/console/trang/{sites.commune.code}/ho-tro/")
    assert response.status_code == 302
    assert response.url.startswith(f"http://{sites.commune.primary_domain}/admin/ho-tro/")


def test_console_refuses_non_staff(sites):
    citizen = get_user_model().objects.create_user("nguoi.dan", password="x-2026-khong-dung")
    client = Client(HTTP_HOST="localhost")
    console_login(client, citizen)
    response = client.post(f"/console/trang/{sites.commune.code}/ho-tro/")
    assert response.status_code in (302, 403)
    assert "/admin/ho-tro/" not in response.get("Location", "")
    assert not ModelLogEntry.objects.filter(action="tenants.support_login").exists()


def test_support_session_is_verified_without_a_code_and_only_by_the_link(sites, operator):
    from django_otp.plugins.otp_static.models import StaticDevice

    from component_sites.accounts.two_factor import SUPPORT_NAME

    client = Client(HTTP_HOST=sites.commune.primary_domain)
    client.get("/" + _path(support_link(sites.commune, operator, verified=True)))
    # Superuser, no authenticator app, yet the admin opens: no enrolment, no code asked.
    for path in ("/admin/", "/admin/users/"):
        assert client.get(path).status_code == 200
    with schema_context(sites.commune.schema_name):
        account = get_user_model().objects.get(username="hotro.tinh.hotro")
        device = StaticDevice.objects.get(user=account)
        assert device.name == SUPPORT_NAME and not device.token_set.exists()
    # The same account in a session the link did not open is not verified.
    other = Client(HTTP_HOST=sites.commune.primary_domain)
    other.force_login(account)
    assert other.get("/admin/").url.startswith("/admin/xac-thuc/dang-ky/")
    response = other.post("/admin/xac-thuc/", {"otp_token": "abcdefgh"})
    assert response.status_code == 302 and other.get("/admin/").status_code == 302
