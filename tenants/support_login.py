"""Support login, the console's side: a provincial admin asks for a link into a site's admin.

The link's format and the site's side (single use, the support account, the session counted
as verified) are ``component_sites.accounts.support``; here the console checks its own
session, records the request in the public audit trail and builds the link on the site's
primary domain.
"""

from __future__ import annotations

from component_sites.accounts.support import NOT_VERIFIED, PATH, SupportLinkError, sign_link

from .lifecycle import audit, on_public_schema
from .models import Tenant
from .onboarding import site_base_url


@on_public_schema
def support_link(tenant: Tenant, user, *, verified: bool) -> str:
    """A signed single-use link to ``tenant``'s admin for the platform admin ``user`` (audited).

    Only for a console session that passed its second step (``verified``): the site counts
    the link as the support session's second factor, and the link says so (``"2fa"``).
    """
    if not verified:
        raise SupportLinkError(NOT_VERIFIED)
    token, nonce = sign_link(tenant.schema_name, user.get_username())
    audit(tenant, "tenants.support_login", user, None, operator=user.get_username(), nonce=nonce)
    return f"{site_base_url(tenant)}{PATH.format(token=token)}"
