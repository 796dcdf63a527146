"""Support login: a provincial admin opens a site's admin without knowing its passwords.

The link's format lives here, with the site's side of it; the console's side (who may ask
for a link, the audit trail in the public schema, the site's address) is
``tenants.support_login``.

The console signs a short-lived link naming the site, the operator and a random nonce
(``django.core.signing`` with a ``max_age``).  The site accepts the link once (the nonce is
claimed atomically in the site's cache), logs the operator in as the site's support account
``hotro.<operator>`` and records that in the site's own audit log.  Expired, forged, reused
or other-site links change nothing.

The session it opens counts as verified for two-factor authentication: the operator is
authenticated by the console, which signs links only for a session that passed its second
step (the payload says so: ``"2fa"``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.shortcuts import redirect, render
from wagtail.log_actions import log

from .two_factor import verify_support_session

# Unchanged since links were first signed in tenants.support_login: a link made by a
# console still running the older code stays readable.
SALT = "tenants.support-login"
# The link is meant to be opened at once, from the console.
MAX_AGE = getattr(settings, "SUPPORT_LOGIN_MAX_AGE", 120)
# The site's admin path the link opens (``portal.urls_tenant``: before the admin's URLs).
PATH = "/admin/ho-tro/{token}/"
# Log action of the site's audit log (the name predates this app; old entries keep it).
LOG_ACTION = "editorial.support_login"

NOT_VERIFIED = (
    "Đăng nhập hỗ trợ cần một phiên trang điều hành đã qua xác thực hai bước. Hãy đăng xuất, "
    "đăng nhập lại và nhập mã xác thực, rồi thử lại."
)


class SupportLinkError(Exception):
    """A support link that may not be used; the message says why."""


def sign_link(schema: str, operator: str) -> tuple[str, str]:
    """A signed token for site ``schema`` and console account ``operator``, and its nonce.

    Only for a console session that passed its second step (the caller checks).
    """
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps(
        {"site": schema, "op": operator, "n": nonce, "2fa": True},
        salt=SALT,
    )
    return token, nonce


def read_link(token: str, schema: str) -> dict:
    """The payload of a valid link for site ``schema``; SupportLinkError otherwise."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise SupportLinkError(
            "Liên kết hỗ trợ đã hết hạn. Hãy tạo liên kết mới từ trang điều hành."
        ) from exc
    except signing.BadSignature as exc:
        raise SupportLinkError("Liên kết hỗ trợ không hợp lệ.") from exc
    if payload.get("site") != schema or not payload.get("op") or not payload.get("n"):
        raise SupportLinkError("Liên kết hỗ trợ không dành cho trang này.")
    if payload.get("2fa") is not True:
        raise SupportLinkError(NOT_VERIFIED)
    return payload


def support_login(request, token: str):
    """Log the operator in as the site's support account, once per link."""
    try:
        payload = read_link(token, connection.schema_name)
        # Claimed atomically: a second use of the same link finds the key taken.
        if not cache.add(f"support-login:{payload['n']}", 1, timeout=MAX_AGE + 60):
            raise SupportLinkError("Liên kết hỗ trợ này đã được dùng.")
    except SupportLinkError as exc:
        return render(request, "accounts/support_refused.html", {"message": str(exc)}, status=403)
    username = f"hotro.{payload['op']}"[:150]
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": True}
    )
    if not (user.is_active and user.is_superuser):
        user.is_active = user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_active", "is_staff", "is_superuser"])
    if user.has_usable_password():
        # Nobody logs in as the support account with a password, only through a link.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    # The operator passed the console's login; the signed single-use link stands for the
    # second factor.  Marked on the server-side session, never from anything sent.
    verify_support_session(request, user)
    log(user, LOG_ACTION, user=user, data={"operator": payload["op"]})
    return redirect("wagtailadmin_home")
