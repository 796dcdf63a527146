"""The site's side of the console's support login (see tenants.support_login).

The session it opens counts as verified for two-factor authentication: the operator is
authenticated by the console, which signed the single-use link.
"""

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core.cache import cache
from django.db import connection
from django.shortcuts import redirect, render
from wagtail.log_actions import log

from tenants.support_login import MAX_AGE, SupportLinkError, read_link

from .two_factor import verify_support_session


def support_login(request, token: str):
    """Log the operator in as the site's support account, once per link."""
    try:
        payload = read_link(token, connection.schema_name)
        # Claimed atomically: a second use of the same link finds the key taken.
        if not cache.add(f"support-login:{payload['n']}", 1, timeout=MAX_AGE + 60):
            raise SupportLinkError("Liên kết hỗ trợ này đã được dùng.")
    except SupportLinkError as exc:
        return render(request, "editorial/support_refused.html", {"message": str(exc)}, status=403)
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
    log(user, "editorial.support_login", user=user, data={"operator": payload["op"]})
    return redirect("wagtailadmin_home")
