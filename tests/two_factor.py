"""Passing a site admin's second login step the way a person does: with the current code.

Site admins must use two-factor authentication.  The test sites' admin ``quantri`` has an
authenticator app (a confirmed TOTP device, made by the session fixture); tests compute
the code the app would show from the device's key with django-otp's own TOTP, and enter
it in the real form.  ``verified_login`` does the same for an account a test made.
"""

from __future__ import annotations

import time
from base64 import b32decode

from django_otp.oath import TOTP, hotp

VERIFY_PATH = "/admin/xac-thuc/"


def code_from_secret(secret: str, *, ahead: int = 0) -> str:
    """The code an authenticator app shows for ``secret`` (the base32 key on the page).

    ``ahead=1`` is the code of the next 30-second step, which the site also accepts (one
    step of clock tolerance): used when this step's code was just spent.
    """
    key = b32decode("".join(secret.split()).upper())
    totp = TOTP(key)
    return f"{hotp(key, totp.t() + ahead):06d}"


def not_a_code(key: bytes) -> str:
    """Six digits that are none of the codes ``key`` accepts around now (a wrong code)."""
    step = TOTP(key).t()
    accepted = {f"{hotp(key, step + i):06d}" for i in (-1, 0, 1, 2)}
    return next(c for c in ("123456", "654321", "111111", "222222", "333333") if c not in accepted)


def next_code(device) -> str:
    """A code ``device`` accepts now: this step's, or a later one when it was already used.

    A device takes each time step once; a test that logs in twice within 30 seconds uses
    the next step's code (allowed by the device's tolerance), or waits for a fresh step.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = totp.t()
    if device.last_t >= step + device.tolerance:
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.5)
        step = totp.t()
    counter = max(step, device.last_t + 1)
    return f"{hotp(device.bin_key, counter, device.digits):0{device.digits}d}"


def give_totp_device(user):
    """A confirmed authenticator app for ``user`` (as if enrolled earlier)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from component_sites.accounts.two_factor import TOTP_NAME

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)


def enter_code(client, device, host=None):
    """Post the device's current code to the second-step form; returns the response."""
    extra = {"HTTP_HOST": host} if host else {}
    return client.post(VERIFY_PATH, {"otp_token": next_code(device)}, **extra)


def verified_login(client, user, host=None):
    """Log ``user`` in (password step skipped) and pass the second step with a real code."""
    device = give_totp_device(user)
    client.force_login(user)
    response = enter_code(client, device, host)
    assert response.status_code == 302, response.content.decode()[:2000]
    return device


# In the browser (Playwright)

CODE_FORM = "main form.login-form"


def browser_second_step(page, code: str, area: str = "admin") -> None:
    """On the second-step page (``area``: admin or console), type the code and confirm."""
    page.wait_for_url(f"**/{area}/xac-thuc/**")
    page.fill(f"{CODE_FORM} input[name=otp_token]", code)
    page.click(f"{CODE_FORM} button[type=submit]")


def browser_enrol(page, area: str = "admin") -> tuple[str, list[str]]:
    """Enrol on the page the site sends a new site admin to: read the key written out under
    the QR code, type the app's code, note the backup codes, continue.  Returns both.
    ``area="console"``: the same on the platform console."""
    page.wait_for_url(f"**/{area}/xac-thuc/dang-ky/**")
    secret = page.locator("#totp-secret").inner_text()
    page.fill(f"{CODE_FORM} input[name=otp_token]", code_from_secret(secret))
    page.click(f"{CODE_FORM} button[type=submit]")
    page.wait_for_url(f"**/{area}/xac-thuc/ma-du-phong/**")
    codes = page.locator("#backup-codes code").all_inner_texts()
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    return secret, codes


# The platform console (control domain): every account passes the same second step.

CONSOLE_VERIFY_PATH = "/console/xac-thuc/"
CONSOLE_HOST = "localhost"


def console_login(client, user, host=CONSOLE_HOST):
    """Log a console account in (password step skipped), then enter its app's real code."""
    from django_tenants.utils import get_public_schema_name, schema_context

    with schema_context(get_public_schema_name()):
        device = give_totp_device(user)
        client.force_login(user)
        response = client.post(
            CONSOLE_VERIFY_PATH, {"otp_token": next_code(device)}, HTTP_HOST=host
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return device


def browser_console_first_login(page, base: str, username: str, password: str) -> str:
    """A console account's first login in the browser: password, then enrolment (returns the
    key).  Every console account must use two-factor authentication."""
    page.goto(f"{base}/console/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    secret, _codes = browser_enrol(page, area="console")
    return secret
