"""One-time links for a new site's first admin to set a password.

The link is Django's password-reset token (Wagtail's own confirm view under
``/admin/password_reset/confirm/``) on the site's primary domain.  It works once:
the token is derived from the password hash, which changes when the password is
set; it expires after ``PASSWORD_RESET_TIMEOUT`` seconds.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context

from .models import Tenant


def site_base_url(tenant: Tenant) -> str:
    """``scheme://primary-domain[:port]`` as visitors reach it (settings decide scheme/port)."""
    from component_sites.core.origin import origin_for_host

    return origin_for_host(tenant.primary_domain or "")


def admin_setup_link(tenant: Tenant, username: str, base_url: str | None = None, user=None) -> str:
    """A one-time password-setting link for ``username`` on ``tenant``'s admin.

    ``base_url`` (scheme, host, port) defaults to how visitors reach the site; ``user``,
    the account already loaded (provisioning has just made it), saves reading it again.
    """
    with schema_context(tenant.schema_name):
        if user is None or user.get_username() != username:
            user = get_user_model().objects.get(username=username)
        path = reverse(
            "wagtailadmin_password_reset_confirm",
            urlconf=settings.ROOT_URLCONF,
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return (base_url or site_base_url(tenant)) + path
