"""Two-factor authentication of a site's admin: an authenticator app (TOTP) and backup codes.

Built on django-otp: ``TOTPDevice`` (the app; its key is shown as a QR code at enrolment),
``StaticDevice`` (ten one-time backup codes), its throttling (each wrong code doubles the
wait before the next try) and ``OTPMiddleware`` (``request.user.is_verified()``).  Devices
live in each site's schema, next to the site's users.

Who is asked:

- site admins (superusers of the site and members of "Quản trị trang") must use it: after
  the password they enter a code; without a device they enrol first and reach nothing
  else in the admin until they have;
- other staff may turn it on from their account page; once they have, they are asked too;
- a support session opened from the console is verified by the support login itself
  (``verify_support_session``), never by anything the browser sends.

The password step is Django's login; ``TwoFactorMiddleware`` keeps a session whose second
step is pending out of the admin (redirect to the code or the enrolment page) and
anonymous on the site's public pages.
"""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name
from wagtail.log_actions import log

from component_sites.editorial.roles import SITE_ADMIN

TOTP_NAME = "Ứng dụng xác thực"
BACKUP_NAME = "Mã dự phòng"
# The device a support session is verified with: it holds no code, so nobody can enter one.
SUPPORT_NAME = "Đăng nhập hỗ trợ từ trang điều hành"
BACKUP_CODE_COUNT = 10
# What authenticator apps show next to a console account.
CONSOLE_ISSUER = "Trang quản trị nền tảng"

VERIFY = "verify"
ENROL = "enrol"

# Session key under which the backup codes wait to be shown once, right after enrolment.
# The audit log's action names ("editorial.two_factor_…", see wagtail_hooks) and this key
# predate the accounts app: stored entries and open sessions keep them.
NEW_CODES_SESSION_KEY = "editorial.two_factor.new_codes"

# Admin URL names a session whose second step is pending may still open.
# Static helpers of every admin page (icon sprite, translations) and logging out stay open;
# so does the console's support link (it logs in as the support account, verified).
_ALWAYS_OPEN = [
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_logout",
    "support_login",
]
OPEN_URL_NAMES = {
    VERIFY: ["two_factor_verify", *_ALWAYS_OPEN],
    ENROL: ["two_factor_enrol", *_ALWAYS_OPEN],
}
# The console's pages a session whose second step is pending may open: the login (another
# account), logging out, and the step itself.
_CONSOLE_OPEN = ["console:login", "console:logout"]
CONSOLE_OPEN_URL_NAMES = {
    VERIFY: ["two_factor_verify", *_CONSOLE_OPEN],
    ENROL: ["two_factor_enrol", *_CONSOLE_OPEN],
}


def concrete(user):
    """The user model instance behind ``request.user``'s lazy wrappers (auth's, django-otp's).

    Wagtail's audit log files an entry by the instance's own class, which a lazy wrapper
    does not have.
    """
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def audit(user, action: str, *, by=None, **data) -> None:
    """An entry in the site's log about ``user``'s account (by ``user`` unless ``by``)."""
    user = concrete(user)
    by = concrete(by) if by is not None else user
    log(
        user,
        action,
        user=by if getattr(by, "is_authenticated", False) else None,
        data=data or None,
    )


def is_site_admin(user) -> bool:
    """Superusers of this site and members of its site-admin role."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.groups.filter(name=SITE_ADMIN).exists()


def on_console() -> bool:
    """The public schema: the platform console of provincial admins and council members."""
    return connection.schema_name == get_public_schema_name()


def requires_two_factor(user) -> bool:
    """Site admins on a site; every account of the console (each controls many sites)."""
    if on_console():
        return bool(getattr(user, "is_authenticated", False))
    return is_site_admin(user)


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_step(user) -> str | None:
    """``VERIFY`` or ``ENROL`` while the user's session still owes its second step."""
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_verified", lambda: False)():
        return None
    if is_enrolled(user):
        return VERIFY
    if requires_two_factor(user):
        return ENROL
    return None


def can_reset(actor, target) -> bool:
    """A site admin may reset another account's devices (a superuser's only if one too)."""
    return (
        is_site_admin(actor)
        and actor.has_perm("auth.change_user")
        and actor.pk != target.pk
        and (actor.is_superuser or not target.is_superuser)
    )


def totp_issuer(device=None) -> str:
    """The name authenticator apps show next to the account: the site's own name."""
    tenant = getattr(connection, "tenant", None)
    if on_console():
        name = CONSOLE_ISSUER
    else:
        name = getattr(tenant, "name", "") or settings.WAGTAIL_SITE_NAME
    return name.replace(":", " ")


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (the same key until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def backup_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=BACKUP_NAME).first()


def remaining_backup_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=BACKUP_NAME).count()


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with ``BACKUP_CODE_COUNT`` fresh ones (shown once)."""
    with transaction.atomic():
        device = backup_device(user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
        device.token_set.all().delete()
        codes: list[str] = []
        while len(codes) < BACKUP_CODE_COUNT:
            code = StaticToken.random_token()
            if code not in codes:
                codes.append(code)
        device.token_set.bulk_create([StaticToken(device=device, token=c) for c in codes])
        device.throttle_reset()
    return codes


def confirm_enrolment(user, device: TOTPDevice) -> list[str]:
    """The code matched: the device becomes the user's; returns new backup codes."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = new_backup_codes(user)
        audit(user, "editorial.two_factor_enrol")
    return codes


def reset_devices(user, *, by=None, reason: str = "") -> int:
    """Remove every device of ``user`` (lost phone); audited in the site's log.

    A site admin is asked to enrol again at the next login; other staff go back to
    password-only.  Returns the number of devices removed.
    """
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
        audit(
            user,
            "editorial.two_factor_reset",
            by=by or AnonymousUser(),
            username=user.get_username(),
            devices=removed,
            reason=reason,
        )
    return removed


def disable(request) -> None:
    """The user turns off their own (voluntary) second factor."""
    user = request.user
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            model.objects.filter(user=user).delete()
        audit(user, "editorial.two_factor_disable")


def verify_support_session(request, user) -> None:
    """Mark a support login's session verified (called by the support view only).

    The console already authenticated the operator and signed a single-use link; the
    session (stored server-side) is tied to the support account's code-less device.
    """
    device = StaticDevice.objects.filter(user=user, name=SUPPORT_NAME).first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=SUPPORT_NAME, confirmed=True)
    device.token_set.all().delete()  # never any code to enter
    django_otp.login(request, device)


def step_url(step: str, next_url: str = "") -> str:
    url = reverse("two_factor_verify" if step == VERIFY else "two_factor_enrol")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class TwoFactorMiddleware:
    """Hold a session at its second step: admin pages redirect, public pages see no user.

    After django-otp's OTPMiddleware (which sets ``request.user.is_verified()``).  On a
    site, ``/admin/`` is held; on the control domain (public schema), the whole console.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if on_console():
            step = pending_step(request.user)
            if step is not None and _url_name(request) not in CONSOLE_OPEN_URL_NAMES[step]:
                return redirect(step_url(step, _next(request)))
            return self.get_response(request)
        if request.path_info.startswith("/admin/"):
            step = pending_step(request.user)
            if step is not None and _url_name(request) not in OPEN_URL_NAMES[step]:
                return redirect(step_url(step, _next(request)))
        else:
            user = request.user
            request.user = SimpleLazyObject(lambda: _public_user(user))
        return self.get_response(request)


def _url_name(request) -> str | None:
    """The view's name, with its namespace (``console:home``; admin names have none)."""
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _next(request) -> str:
    """Where to go once the step is done: the page asked for (never the login page itself)."""
    if request.method != "GET" or _url_name(request) in ("wagtailadmin_login", "console:login"):
        return ""
    return request.get_full_path()


def _public_user(user):
    return AnonymousUser() if pending_step(user) else user
