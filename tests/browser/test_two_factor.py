"""A site admin turns on two-factor authentication at first login; later logins ask for the code."""

from base64 import b32decode

import pytest

from tests.browser.conftest import wait_until
from tests.committed import committed
from tests.two_factor import CODE_FORM, browser_second_step, code_from_secret, not_a_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "luongson.hoabinh.test.localhost"
USERNAME = "qt.luongson"
PASSWORD = "Mat-khau-quan-tri-2026"


@pytest.fixture
def site_admin(sites, django_db_blocker):
    """A member of the site-admin role, without any device yet (committed for the server)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from component_sites.editorial.roles import SITE_ADMIN

    def create():
        user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
        user.groups.add(Group.objects.get(name=SITE_ADMIN))

    def clean_up():
        get_user_model().objects.filter(username=USERNAME).delete()

    schema = sites.district.schema_name
    with django_db_blocker.unblock():
        committed(create, schema)
    yield
    with django_db_blocker.unblock():
        committed(clean_up, schema)


def _password(page, base):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def _throttle_over():
    """django-otp's pause after a wrong code is over for the admin's app (verify allowed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=USERNAME)
    return device.verify_is_allowed()[0]


def test_site_admin_enrols_then_is_asked_for_the_code(
    live_server_port, page, screenshot, site_admin, sites, django_db_blocker
):
    base = f"http://{HOST}:{live_server_port}"
    _password(page, base)

    # First login: nothing but the enrolment page until the app is confirmed.
    page.wait_for_url("**/admin/xac-thuc/dang-ky/**")
    assert page.locator(".two-factor-qr svg").is_visible()
    screenshot("two-factor-enrol")
    page.goto(f"{base}/admin/pages/")
    assert "/admin/xac-thuc/dang-ky/" in page.url
    secret = page.locator("#totp-secret").inner_text()
    page.fill(f"{CODE_FORM} input[name=otp_token]", code_from_secret(secret))
    page.click(f"{CODE_FORM} button[type=submit]")
    page.wait_for_url("**/admin/xac-thuc/ma-du-phong/**")
    backup = page.locator("#backup-codes code").all_inner_texts()
    assert len(backup) == 10
    screenshot("two-factor-backup-codes")
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    page.wait_for_url(f"{base}/admin/pages/")

    # Next login: the password, then the code; a wrong one is refused with a message.
    _password(page, base)
    page.wait_for_url("**/admin/xac-thuc/?next=**")
    screenshot("two-factor-code")
    right = code_from_secret(secret, ahead=1)  # this step's code was spent at enrolment
    browser_second_step(page, not_a_code(b32decode(secret.replace(" ", ""))))
    assert "Mã xác thực không đúng hoặc đã được dùng" in page.locator(".messages").inner_text()
    # django-otp refuses any code for a second after a wrong one: wait for that to end.
    with django_db_blocker.unblock():
        wait_until(
            lambda: committed(_throttle_over, sites.district.schema_name),
            message="django-otp's pause after a wrong code ended",
        )
    browser_second_step(page, right)
    page.wait_for_url(f"{base}/admin/")
    assert "Huyện Lương Sơn" in page.locator("main").inner_text()

    # Without the phone: a backup code, once.
    _password(page, base)
    browser_second_step(page, backup[0])
    page.wait_for_url(f"{base}/admin/")
    assert "còn 9 mã" in page.locator(".messages").inner_text()
