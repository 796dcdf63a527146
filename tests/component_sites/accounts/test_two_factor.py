"""Two-factor authentication of a site's admin (django-otp: authenticator app + backup codes)."""

import re
from base64 import b32decode
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from component_sites.accounts import two_factor
from component_sites.accounts.lockout import LOCKED_MESSAGE
from component_sites.editorial.roles import EDITOR, SITE_ADMIN
from tests.two_factor import (
    code_from_secret,
    give_totp_device,
    next_code,
    not_a_code,
    verified_login,
)

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-hai-buoc-2026"
ENROL = "/admin/xac-thuc/dang-ky/"
VERIFY = "/admin/xac-thuc/"
CODES = "/admin/xac-thuc/ma-du-phong/"
ACCOUNT = "/admin/xac-thuc/tai-khoan/"
WRONG = "Mã xác thực không đúng hoặc đã được dùng"


@pytest.fixture
def schema(sites):
    return sites.commune.schema_name


@pytest.fixture
def client(sites):
    return Client(HTTP_HOST=sites.commune.primary_domain)


def make_user(schema, username, *roles, superuser=False):
    with schema_context(schema):
        user = get_user_model().objects.create_user(
            username, password=PASSWORD, is_superuser=superuser, email=f"{username}@xa.vn"
        )
        user.groups.add(*Group.objects.filter(name__in=roles))
        return user


def password_login(client, username):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:1500]
    return response


def text(response):
    return unescape(response.content.decode())


def secret_on(page) -> str:
    return re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)


def enrol(client, next_url="/admin/"):
    page = text(client.get(ENROL, {"next": next_url}))
    response = client.post(
        ENROL, {"otp_token": code_from_secret(secret_on(page)), "next": next_url}
    )
    assert response.status_code == 302, text(response)[:2000]
    return response


def backoff_passed(schema, user):
    """As if the wait django-otp imposes after a wrong code had passed."""
    with schema_context(schema):
        for model in (TOTPDevice, StaticDevice):
            model.objects.filter(user=user).update(throttling_failure_timestamp=None)


# Site admins must enrol


def test_site_admin_without_a_device_reaches_only_the_enrolment_page(schema, client):
    make_user(schema, "qt.moi", superuser=True)
    password_login(client, "qt.moi")
    for path in ("/admin/", "/admin/pages/", "/admin/users/", VERIFY, CODES, ACCOUNT):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(ENROL), (path, response.url)
    assert client.get("/admin/users/").url == f"{ENROL}?next=%2Fadmin%2Fusers%2F"
    assert client.get("/admin/sprite/").status_code == 200  # every admin page's icons
    page = text(client.get(ENROL))
    assert "Tài khoản quản trị trang phải dùng xác thực hai bước" in page
    assert "<svg" in page and "Mã QR" in page
    assert len("".join(secret_on(page).split())) == 32


def test_member_of_the_site_admin_role_must_enrol_too(schema, client):
    make_user(schema, "qt.nhom", SITE_ADMIN)
    password_login(client, "qt.nhom")
    assert client.get("/admin/").url.startswith(ENROL)


def test_enrolment_confirms_the_app_and_shows_ten_backup_codes_once(schema, client):
    user = make_user(schema, "qt.moi", superuser=True)
    password_login(client, "qt.moi")
    first = secret_on(text(client.get(ENROL)))
    assert secret_on(text(client.get(ENROL))) == first  # same key until confirmed
    response = enrol(client, next_url="/admin/pages/")
    assert response.url.startswith(CODES)
    shown = text(client.get(response.url))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(codes) == 10
    assert 'href="/admin/pages/"' in shown
    assert client.get(CODES).status_code == 302  # shown once
    assert client.get("/admin/").status_code == 200
    with schema_context(schema):
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed and device.name == two_factor.TOTP_NAME
        stored = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
        assert sorted(stored) == sorted(codes)
        assert ModelLogEntry.objects.filter(action="editorial.two_factor_enrol").count() == 1


def test_wrong_code_at_enrolment_changes_nothing(schema, client):
    user = make_user(schema, "qt.moi", superuser=True)
    password_login(client, "qt.moi")
    secret = secret_on(text(client.get(ENROL)))
    response = client.post(ENROL, {"otp_token": not_a_code(b32decode(secret.replace(" ", "")))})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in text(response)
    response = client.post(ENROL, {"otp_token": ""})
    assert "Vui lòng nhập mã xác thực" in text(response)
    with schema_context(schema):
        assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get("/admin/").url.startswith(ENROL)


# The code at every login


@pytest.fixture
def enrolled(schema):
    """A site admin with an authenticator app and backup codes."""
    user = make_user(schema, "qt.co.ma", superuser=True)
    with schema_context(schema):
        device = give_totp_device(user)
        codes = two_factor.new_backup_codes(user)
    return user, device, codes


def test_login_asks_for_the_code_then_opens_the_admin(schema, client, enrolled):
    _user, device, _codes = enrolled
    password_login(client, "qt.co.ma")
    response = client.get("/admin/pages/")
    assert response.url == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"
    assert client.get(ENROL).url.startswith(VERIFY)  # no new device with a password alone
    page = text(client.get(response.url))
    assert "mã 6 chữ số" in page and 'name="otp_token"' in page
    with schema_context(schema):
        code = next_code(device)
    response = client.post(VERIFY, {"otp_token": code, "next": "/admin/pages/"})
    assert (response.status_code, response.url) == (302, "/admin/pages/")
    assert client.get("/admin/").status_code == 200


def test_wrong_code_is_refused_with_a_message(schema, client, enrolled):
    user, device, _codes = enrolled
    password_login(client, "qt.co.ma")
    response = client.post(VERIFY, {"otp_token": not_a_code(device.bin_key)})
    assert response.status_code == 200
    assert WRONG in text(response)
    assert client.get("/admin/").url.startswith(VERIFY)
    with schema_context(schema):
        assert ModelLogEntry.objects.filter(action="editorial.two_factor_failure").count() == 1
        device.refresh_from_db()
        assert device.throttling_failure_count == 1


def test_a_code_is_taken_once(schema, enrolled, sites):
    _user, device, _codes = enrolled
    first, second = (Client(HTTP_HOST=sites.commune.primary_domain) for _ in range(2))
    with schema_context(schema):
        code = next_code(device)
    password_login(first, "qt.co.ma")
    assert first.post(VERIFY, {"otp_token": code}).status_code == 302
    password_login(second, "qt.co.ma")
    response = second.post(VERIFY, {"otp_token": code})
    assert response.status_code == 200
    assert WRONG in text(response)
    assert second.get("/admin/").url.startswith(VERIFY)


def test_wrong_codes_are_throttled(schema, client, enrolled):
    _user, device, _codes = enrolled
    password_login(client, "qt.co.ma")
    client.post(VERIFY, {"otp_token": not_a_code(device.bin_key)})
    with schema_context(schema):
        right = next_code(device)
    response = client.post(VERIFY, {"otp_token": right})
    assert response.status_code == 200
    assert "Đã nhập sai mã 1 lần liên tiếp" in text(response)
    assert client.get("/admin/").url.startswith(VERIFY)
    backoff_passed(schema, _user)
    assert client.post(VERIFY, {"otp_token": right}).status_code == 302


def test_five_wrong_codes_lock_the_account(schema, client, enrolled, sites):
    user, _device, _codes = enrolled
    password_login(client, "qt.co.ma")
    for _ in range(4):
        assert WRONG in text(client.post(VERIFY, {"otp_token": "abc"}))
        backoff_passed(schema, user)
    response = client.post(VERIFY, {"otp_token": "abc"}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/login/"
    assert LOCKED_MESSAGE in text(response)
    assert "_auth_user_id" not in client.session
    again = client.post("/admin/login/", {"username": "qt.co.ma", "password": PASSWORD})
    assert again.status_code == 200 and LOCKED_MESSAGE in text(again)
    with schema_context(schema):
        assert ModelLogEntry.objects.filter(action="editorial.two_factor_failure").count() == 5


def test_a_password_alone_does_not_clear_the_failures(schema, client, enrolled):
    user, _device, _codes = enrolled
    for _ in range(2):
        password_login(client, "qt.co.ma")
        for _ in range(2):
            client.post(VERIFY, {"otp_token": "abc"})
            backoff_passed(schema, user)
        client.post("/admin/logout/")
    password_login(client, "qt.co.ma")
    response = client.post(VERIFY, {"otp_token": "abc"}, follow=True)
    assert LOCKED_MESSAGE in text(response)


def test_backup_code_opens_once(schema, enrolled, sites):
    user, _device, codes = enrolled
    first, second = (Client(HTTP_HOST=sites.commune.primary_domain) for _ in range(2))
    password_login(first, "qt.co.ma")
    response = first.post(VERIFY, {"otp_token": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "còn 9 mã" in text(response)
    password_login(second, "qt.co.ma")
    response = second.post(VERIFY, {"otp_token": codes[0]})
    assert WRONG in text(response)
    with schema_context(schema):
        assert StaticToken.objects.filter(device__user=user).count() == 9
        assert ModelLogEntry.objects.filter(action="editorial.two_factor_backup_used").exists()


def test_new_backup_codes_replace_the_old_ones(schema, client, enrolled):
    user, device, codes = enrolled
    password_login(client, "qt.co.ma")
    with schema_context(schema):
        code = next_code(device)
    client.post(VERIFY, {"otp_token": code})
    response = client.post(ACCOUNT, {"action": "new_codes"})
    shown = text(client.get(response.url))
    fresh = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    with schema_context(schema):
        assert StaticToken.objects.filter(device__user=user).count() == 10


def test_site_admin_cannot_turn_it_off(schema, client, enrolled):
    user, device, _codes = enrolled
    with schema_context(schema):
        verified_login(client, user)
    assert "Tắt xác thực hai bước" not in text(client.get(ACCOUNT))
    response = client.post(ACCOUNT, {"action": "disable"}, follow=True)
    assert "không hợp lệ" in text(response)
    with schema_context(schema):
        assert TOTPDevice.objects.filter(pk=device.pk).exists()


# Other staff: voluntary


def test_editor_without_a_device_is_not_asked(schema, client):
    make_user(schema, "btv", EDITOR)
    password_login(client, "btv")
    assert client.get("/admin/").status_code == 200


def test_editor_turns_it_on_from_the_account_page_and_is_asked_afterwards(schema, client):
    editor = make_user(schema, "btv", EDITOR)
    password_login(client, "btv")
    account = text(client.get("/admin/account/"))
    assert "Xác thực hai bước" in account and ACCOUNT in account
    assert "Chưa bật" in text(client.get(ACCOUNT))
    page = text(client.get(ENROL))
    assert "Tài khoản quản trị trang phải" not in page
    enrol(client, next_url=ACCOUNT)
    assert "Đang bật" in text(client.get(ACCOUNT))
    client.post("/admin/logout/")
    password_login(client, "btv")
    assert client.get("/admin/").url.startswith(VERIFY)
    with schema_context(schema):
        device = TOTPDevice.objects.get(user=editor, confirmed=True)
        code = next_code(device)
    assert client.post(VERIFY, {"otp_token": code}).status_code == 302
    response = client.post(ACCOUNT, {"action": "disable"}, follow=True)
    assert "Đã tắt xác thực hai bước" in text(response)
    client.post("/admin/logout/")
    password_login(client, "btv")
    assert client.get("/admin/").status_code == 200


def test_public_pages_see_a_half_logged_in_admin_as_anonymous(schema, enrolled):
    from django.contrib.auth.models import AnonymousUser

    from component_sites.accounts.two_factor import _public_user

    user, _device, _codes = enrolled
    with schema_context(schema):
        user.is_verified = lambda: False
        assert isinstance(_public_user(user), AnonymousUser)
        user.is_verified = lambda: True
        assert _public_user(user) is user


# Resetting a lost device


def test_site_admin_resets_an_editors_device_from_the_user_edit_screen(schema, client):
    editor = make_user(schema, "btv", EDITOR)
    admin = make_user(schema, "qt.chinh", superuser=True)
    with schema_context(schema):
        give_totp_device(editor)
        two_factor.new_backup_codes(editor)
        verified_login(client, admin)
    edit = text(client.get(f"/admin/users/edit/{editor.pk}/"))
    assert "Đặt lại xác thực hai bước" in edit
    reset_url = f"/admin/xac-thuc/dat-lai/{editor.pk}/"
    assert reset_url in edit
    assert "chưa bật" not in text(client.get(reset_url))
    response = client.post(reset_url, follow=True)
    assert "Đã đặt lại xác thực hai bước của btv" in text(response)
    with schema_context(schema):
        assert not TOTPDevice.objects.filter(user=editor).exists()
        assert not StaticDevice.objects.filter(user=editor).exists()
        entry = ModelLogEntry.objects.get(action="editorial.two_factor_reset")
        assert entry.user_id == admin.pk and entry.data["username"] == "btv"
    assert "Đặt lại xác thực hai bước" not in text(client.get(f"/admin/users/edit/{editor.pk}/"))


def test_only_site_admins_reset_and_not_their_own(schema, client):
    editor = make_user(schema, "btv", EDITOR)
    admin = make_user(schema, "qt.chinh", superuser=True)
    with schema_context(schema):
        give_totp_device(admin)
        verified_login(client, admin)
    refused = "không có quyền"  # Wagtail turns PermissionDenied into a message on the dashboard
    own = client.post(f"/admin/xac-thuc/dat-lai/{admin.pk}/", follow=True)
    assert own.redirect_chain[0][0] == "/admin/" and refused in text(own)
    other = Client(HTTP_HOST=client.defaults["HTTP_HOST"])
    password_login(other, "btv")
    response = other.post(f"/admin/xac-thuc/dat-lai/{admin.pk}/", follow=True)
    assert refused in text(response)
    with schema_context(schema):
        assert TOTPDevice.objects.filter(user=admin).exists()
        assert not ModelLogEntry.objects.filter(action="editorial.two_factor_reset").exists()
        assert editor.groups.exists()


def test_after_a_reset_the_site_admin_enrols_again(schema, client, enrolled):
    user, _device, _codes = enrolled
    with schema_context(schema):
        verified_login(client, user)
        two_factor.reset_devices(user, reason="mất điện thoại")
    assert client.get("/admin/").url.startswith(ENROL)
