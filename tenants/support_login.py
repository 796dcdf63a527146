"""Support login: a provincial admin opens a site's admin without knowing its passwords.

The console signs a short-lived link naming the site, the operator and a random nonce
(``django.core.signing`` with a ``max_age``) and records it in the audit trail.  The site
accepts the link once (the nonce is claimed atomically in the site's cache), logs the
operator in as the site's support account ``hotro.<operator>`` and records that in the
site's own audit log.  Expired, forged, reused or other-site links change nothing.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing

from .lifecycle import audit, on_public_schema
from .models import Tenant
from .onboarding import site_base_url

SALT = "tenants.support-login"
# The link is meant to be opened at once, from the console.
MAX_AGE = getattr(settings, "SUPPORT_LOGIN_MAX_AGE", 120)


class SupportLinkError(Exception):
    """A support link that may not be used; the message says why."""


NOT_VERIFIED = (
    "Đăng nhập hỗ trợ cần một phiên trang điều hành đã qua xác thực hai bước. Hãy đăng xuất, "
    "đăng nhập lại và nhập mã xác thực, rồi thử lại."
)


@on_public_schema
def support_link(tenant: Tenant, user, *, verified: bool) -> str:
    """A signed single-use link to ``tenant``'s admin for the platform admin ``user`` (audited).

    Only for a console session that passed its second step (``verified``): the site counts
    the link as the support session's second factor, and the link says so (``"2fa"``).
    """
    if not verified:
        raise SupportLinkError(NOT_VERIFIED)
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps(
        {"site": tenant.schema_name, "op": user.get_username(), "n": nonce, "2fa": True},
        salt=SALT,
    )
    audit(tenant, "tenants.support_login", user, None, operator=user.get_username(), nonce=nonce)
    return f"{site_base_url(tenant)}/admin/ho-tro/{token}/"


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
