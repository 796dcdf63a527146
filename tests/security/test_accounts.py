"""Accounts and logins (issue 13: items 6, 7, 9, 12 and the used reset link of 15).

Real PostgreSQL and Redis; codes computed from the device keys like an authenticator app.
"""

from __future__ import annotations

import logging
import re
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

import tasks.accounts  # noqa: F401  (registers the task the form queues by name)
from component_sites.accounts import lockout
from component_sites.accounts.support import NOT_VERIFIED, SALT, SupportLinkError
from portal.client_ip import client_ip
from tenants.support_login import support_link
from tests.procedure_helpers import eager  # noqa: F401
from tests.two_factor import (
    CONSOLE_VERIFY_PATH,
    code_from_secret,
    console_login,
    give_totp_device,
    next_code,
    not_a_code,
)

PASSWORD = "Mat-khau-dung-2026"
STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"


# Item 9: the client address behind trusted proxies


def _request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("192.0.2.10", "1.2.3.4")) == "192.0.2.10"


def test_one_proxy_the_address_it_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx appends the address it received the request from ($proxy_add_x_forwarded_for).
    assert client_ip(_request("10.0.0.2", "192.0.2.10")) == "192.0.2.10"
    # Entries the client wrote itself, further left, are never believed.
    assert client_ip(_request("10.0.0.2", "6.6.6.6, 7.7.7.7, 192.0.2.10")) == "192.0.2.10"


def test_two_proxies_the_second_hop_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # client -> TLS proxy (appends client) -> Varnish (appends TLS proxy) -> platform
    assert client_ip(_request("10.0.0.3", "192.0.2.10, 10.0.0.2")) == "192.0.2.10"
    assert client_ip(_request("10.0.0.3", "6.6.6.6, 192.0.2.10, 10.0.0.2")) == "192.0.2.10"
    assert client_ip(_request("10.0.0.3", "2001:db8::1 , 10.0.0.2")) == "2001:db8::1"


def test_garbage_and_short_chains(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.0.0.2", "not-an-address")) == ""
    assert client_ip(_request("10.0.0.2", "1.2.3.4\x00")) == ""
    assert client_ip(_request("10.0.0.2", "9" * 10_000)) == ""
    assert client_ip(_request("10.0.0.2", " , ,")) == "10.0.0.2"  # no hop: the socket
    assert client_ip(_request("garbage", None)) == ""
    settings.TRUSTED_PROXY_COUNT = 2
    # One hop fewer than the proxies configured: the request bypassed one; left-most hop.
    assert client_ip(_request("10.0.0.3", "")) == "10.0.0.3"


# Item 6: throttling by account and address together


@pytest.fixture
def editor(sites):
    with schema_context(sites.commune.schema_name):
        get_user_model().objects.create_user("bientap", password=PASSWORD, is_superuser=False)
    return sites.commune


def _login(tenant, address, username="bientap", password=None, **extra):
    password = "sai-mat-khau" if password is None else password
    client = Client(HTTP_HOST=tenant.primary_domain, REMOTE_ADDR=address, **extra)
    response = client.post("/admin/login/", {"username": username, "password": password})
    return client, response


@pytest.mark.django_db
def test_a_stranger_cannot_lock_the_owner_out(editor):
    for _ in range(lockout.LIMIT):
        _login(editor, STRANGER)
    _client, refused = _login(editor, STRANGER, password=PASSWORD)
    body = refused.content.decode()
    assert refused.status_code == 200 and lockout.LOCKED_MESSAGE in body
    assert re.search(r"thử lại sau \d+ phút \(sau \d\d:\d\d\)", body)
    client, response = _login(editor, OWNER, password=PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_forged_forwarded_addresses_do_not_buy_new_tries(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(lockout.LIMIT):
        _login(editor, "10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, {STRANGER}")
    _client, refused = _login(
        editor, "10.0.0.2", password=PASSWORD, HTTP_X_FORWARDED_FOR=f"9.9.9.9, {STRANGER}"
    )
    assert lockout.LOCKED_MESSAGE in refused.content.decode()
    _client, ok = _login(editor, "10.0.0.2", password=PASSWORD, HTTP_X_FORWARDED_FOR=OWNER)
    assert ok.status_code == 302


@pytest.mark.django_db
def test_one_address_cannot_spray_many_accounts(editor):
    for n in range(lockout.ADDRESS_LIMIT):
        _login(editor, STRANGER, username=f"thu.{n}")
    _client, refused = _login(editor, STRANGER, password=PASSWORD)
    body = refused.content.decode()
    assert lockout.ADDRESS_LOCKED_MESSAGE in body and "_auth_user_id" not in _client.session
    assert _login(editor, OWNER, password=PASSWORD)[1].status_code == 302


@pytest.mark.django_db
def test_many_addresses_only_pause_the_account_briefly_and_are_logged(editor, monkeypatch, caplog):
    monkeypatch.setattr(lockout, "ACCOUNT_LIMIT", 6)
    with caplog.at_level(logging.WARNING, logger=lockout.__name__):
        for n in range(6):
            _login(editor, f"192.0.2.{n + 1}")
    assert any("many addresses" in r.getMessage() for r in caplog.records)
    _client, refused = _login(editor, OWNER, password=PASSWORD)
    assert lockout.ACCOUNT_LOCKED_MESSAGE in refused.content.decode()
    lock = lockout.lock_for(RequestFactory().get("/", REMOTE_ADDR=OWNER), "bientap")
    assert lock.kind == lockout.ACCOUNT and lock.minutes <= lockout.ACCOUNT_COOLDOWN // 60


@pytest.mark.django_db
def test_a_success_from_one_address_keeps_that_address_count(editor):
    for n in range(lockout.ADDRESS_LIMIT - 1):
        _login(editor, STRANGER, username=f"thu.{n}")
    assert _login(editor, STRANGER, password=PASSWORD)[1].status_code == 302
    _client, refused = _login(editor, STRANGER, username="thu.cuoi")
    assert lockout.ADDRESS_LOCKED_MESSAGE in refused.content.decode()


# Item 7: the console's second factor


@pytest.fixture
def platform_admin(sites, django_user_model):
    return django_user_model.objects.create_user("tinh.bao", password=PASSWORD, is_staff=True)


def _console_password(username=None, password=PASSWORD, address="192.0.2.50"):
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR=address)
    response = client.post("/console/dang-nhap/", {"username": username, "password": password})
    return client, response


@pytest.mark.django_db
def test_console_first_login_enrols_then_opens(platform_admin):
    client, response = _console_password("tinh.bao")
    assert response.status_code == 302
    home = client.get("/console/")
    assert home["Location"].startswith("/console/xac-thuc/dang-ky/")
    for path in ("/console/nhat-ky/", "/console/tao-trang/", "/console/danh-gia/"):
        assert client.get(path)["Location"].startswith("/console/xac-thuc/dang-ky/")
    page = client.get(home["Location"]).content.decode()
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)
    key = b32decode(secret.replace(" ", ""))
    wrong = client.post("/console/xac-thuc/dang-ky/", {"otp_token": not_a_code(key)})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    TOTPDevice.objects.get(user=platform_admin, confirmed=False).throttle_reset()
    done = client.post("/console/xac-thuc/dang-ky/", {"otp_token": code_from_secret(secret)})
    assert done["Location"].startswith("/console/xac-thuc/ma-du-phong/")
    codes_page = client.get(done["Location"]).content.decode()
    assert codes_page.count("<li><code>") == 10
    assert client.get("/console/").status_code == 200
    assert ModelLogEntry.objects.filter(action="editorial.two_factor_enrol").exists()
    device = TOTPDevice.objects.get(user=platform_admin, confirmed=True)
    assert device.config_url.startswith("otpauth://totp/Trang%20qu")


@pytest.mark.django_db
def test_console_later_logins_ask_for_the_code_and_refuse_a_wrong_one(platform_admin):
    device = give_totp_device(platform_admin)
    client, _response = _console_password("tinh.bao")
    assert client.get("/console/")["Location"].startswith(CONSOLE_VERIFY_PATH)
    wrong = client.post(CONSOLE_VERIFY_PATH, {"otp_token": not_a_code(device.bin_key)})
    assert wrong.status_code == 200 and "Mã xác thực không đúng" in wrong.content.decode()
    assert client.get("/console/").status_code == 302
    failures = ModelLogEntry.objects.filter(action="editorial.two_factor_failure")
    assert failures.filter(object_id=str(platform_admin.pk)).count() == 1
    device.throttle_reset()
    ok = client.post(CONSOLE_VERIFY_PATH, {"otp_token": next_code(device)})
    assert ok.status_code == 302
    assert client.get("/console/").status_code == 200


@pytest.mark.django_db
def test_console_wrong_codes_lock_the_account_from_that_address(platform_admin):
    device = give_totp_device(platform_admin)
    client, _response = _console_password("tinh.bao")
    for _ in range(lockout.LIMIT):
        device.throttle_reset()
        response = client.post(CONSOLE_VERIFY_PATH, {"otp_token": "abcdefgh"}, follow=True)
    assert response.redirect_chain[-1][0] == "/console/dang-nhap/"
    assert lockout.LOCKED_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The holder, from another address, still logs in (password and code).
    other, ok = _console_password("tinh.bao", address="192.0.2.99")
    assert ok.status_code == 302
    device.throttle_reset()
    assert other.post(CONSOLE_VERIFY_PATH, {"otp_token": next_code(device)}).status_code == 302


@pytest.mark.django_db
def test_council_members_need_the_second_factor_too(sites):
    from tests.tenants.scoring import builders

    member = builders.member("hd.thu", "Lê Văn Thử")
    member.set_password(PASSWORD)
    member.save()
    client, _response = _console_password("hd.thu")
    assert client.get("/console/danh-gia/")["Location"].startswith("/console/xac-thuc/dang-ky/")
    console_login(client, member)
    assert client.get("/console/danh-gia/").status_code == 200


@pytest.mark.django_db
def test_support_login_needs_a_verified_console_session(sites, platform_admin):
    client, _response = _console_password("tinh.bao")
    refused = client.post(f"/console/trang/{sites.commune.code}/ho-tro/")
    assert refused.status_code == 302 and "/admin/ho-tro/" not in refused["Location"]
    assert not ModelLogEntry.objects.filter(action="tenants.support_login").exists()
    with pytest.raises(SupportLinkError, match="xác thực hai bước"):
        support_link(sites.commune, platform_admin, verified=False)
    # A link signed without the console's second factor (an older link) is refused by the site.
    old = signing.dumps({"site": sites.commune.schema_name, "op": "tinh.bao", "n": "z"}, salt=SALT)
    site = Client(HTTP_HOST=sites.commune.primary_domain)
    response = site.get(f"/admin/ho-tro/{old}/")
    assert response.status_code == 403 and NOT_VERIFIED in response.content.decode()
    with schema_context(sites.commune.schema_name):
        assert not get_user_model().objects.filter(username="hotro.tinh.bao").exists()
    # Once verified, the console hands out the link.
    verified = Client(HTTP_HOST="localhost")
    console_login(verified, platform_admin)
    response = verified.post(f"/console/trang/{sites.commune.code}/ho-tro/")
    assert response.url.startswith(f"http://{sites.commune.primary_domain}/admin/ho-tro/")


# Item 12 and the used reset link


def _ask_reset(tenant, host):
    client = Client(HTTP_HOST=host)
    return client.post("/admin/password_reset/", {"email": f"quantri@{tenant.primary_domain}"})


@pytest.mark.django_db
def test_reset_mail_is_queued_not_sent_by_the_web_process(sites):
    response = _ask_reset(sites.commune, sites.commune.primary_domain)
    assert response.status_code == 302
    assert mail.outbox == []  # queued after commit; the test's transaction never commits


@pytest.mark.usefixtures("eager")
@pytest.mark.django_db
def test_reset_mail_is_vietnamese_with_a_link_on_the_primary_domain(
    sites,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.PUBLIC_URL_SCHEME = "https"
    settings.PUBLIC_URL_PORT = "8443"
    host = sites.commune.primary_domain.upper() + ":9999"
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_reset(sites.commune, host)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == f"[{sites.commune.name}] Đặt lại mật khẩu tài khoản quản trị"
    assert "Liên kết hết hạn sau 3 ngày" in message.body
    prefix = f"https://{sites.commune.primary_domain}:8443/admin/password_reset/confirm/"
    links = [line for line in message.body.splitlines() if line.startswith(prefix)]
    assert len(links) == 1, message.body
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html" and links[0] in html and 'lang="vi"' in html


@pytest.mark.usefixtures("eager")
@pytest.mark.django_db
def test_unknown_address_sends_nothing_and_says_the_same(
    sites,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(HTTP_HOST=sites.commune.primary_domain).post(
            "/admin/password_reset/", {"email": "khong.co@example.vn"}
        )
    assert response.status_code == 302 and mail.outbox == []


@pytest.mark.usefixtures("eager")
@pytest.mark.django_db
def test_a_used_reset_link_says_what_happened_in_vietnamese(
    sites,
    django_capture_on_commit_callbacks,
):
    host = sites.commune.primary_domain
    with django_capture_on_commit_callbacks(execute=True):
        _ask_reset(sites.commune, host)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirm/" in line)
    path = link.split(host, 1)[1]
    client = Client(HTTP_HOST=host)
    form = client.get(path, follow=True)
    assert 'name="new_password1"' in form.content.decode()
    new = "Mat-khau-moi-2026-xyz"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert done.status_code == 200
    again = Client(HTTP_HOST=host).get(path, follow=True).content.decode()
    assert "Liên kết đặt lại mật khẩu không còn dùng được" in again
    assert "đã được dùng" in again and "Yêu cầu liên kết mới" in again
    assert 'name="new_password1"' not in again
    with schema_context(sites.commune.schema_name):
        assert get_user_model().objects.get(username="quantri").check_password(new)


@pytest.mark.django_db
def test_a_lost_console_device_is_reset_on_the_server(platform_admin):
    from io import StringIO

    from django.core.management import CommandError, call_command

    give_totp_device(platform_admin)
    out = StringIO()
    call_command("reset_console_2fa", "tinh.bao", stdout=out)
    assert "phải đăng ký lại" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=platform_admin).exists()
    assert ModelLogEntry.objects.filter(action="editorial.two_factor_reset").exists()
    client, _response = _console_password("tinh.bao")
    assert client.get("/console/")["Location"].startswith("/console/xac-thuc/dang-ky/")
    with pytest.raises(CommandError, match="không có tài khoản"):
        call_command("reset_console_2fa", "khong.co")
