"""A provincial admin's first console login enrols the second factor; the next login asks
for the code and refuses a wrong one (Chromium, real codes from the key on the page)."""

from base64 import b32decode

import pytest

from tests.committed import committed
from tests.two_factor import (
    CODE_FORM,
    browser_console_first_login,
    browser_second_step,
    code_from_secret,
    not_a_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

USERNAME = "tinh.xacthuc"
PASSWORD = "Mat-khau-tinh-2026"


@pytest.fixture
def provincial_admin(django_db_blocker):
    from django.contrib.auth import get_user_model

    def create():
        return get_user_model().objects.create_user(USERNAME, password=PASSWORD, is_staff=True)

    def clean_up():
        get_user_model().objects.filter(username=USERNAME).delete()

    with django_db_blocker.unblock():
        user = committed(create)
    yield user
    with django_db_blocker.unblock():
        committed(clean_up)


def _backoff_passed():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username=USERNAME).update(throttling_failure_timestamp=None)


def test_provincial_admin_enrols_at_first_console_login_and_a_wrong_code_is_refused(
    live_server_port, page, screenshot, provincial_admin, django_db_blocker
):
    base = f"http://localhost:{live_server_port}"
    secret = browser_console_first_login(page, base, USERNAME, PASSWORD)
    page.wait_for_url(f"{base}/console/")
    assert "Danh sách trang" in page.locator("nav").inner_text()

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/console/dang-nhap/**")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/xac-thuc/**")
    right = code_from_secret(secret, ahead=1)  # this step's code was spent at enrolment
    wrong = not_a_code(b32decode("".join(secret.split())))
    browser_second_step(page, wrong, area="console")
    error = page.locator(".alert--error")
    error.wait_for()
    assert "Mã xác thực không đúng" in error.inner_text()
    screenshot("console-two-factor-wrong-code")
    page.goto(f"{base}/console/")
    page.wait_for_url("**/console/xac-thuc/**")  # still held at the second step
    # As if django-otp's wait after a wrong code (a second) had passed.
    with django_db_blocker.unblock():
        committed(_backoff_passed)
    page.fill(f"{CODE_FORM} input[name=otp_token]", right)
    page.click(f"{CODE_FORM} button[type=submit]")
    page.wait_for_url(f"{base}/console/")
    assert "Danh sách trang" in page.locator("nav").inner_text()
