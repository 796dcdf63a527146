"""A site's public origin: the scheme, host and port visitors reach it at.

One source of truth for every absolute URL the platform writes (canonical, ``og:url``,
Dublin Core identifier, sitemap ``<loc>``, robots.txt, RSS, share and print links, links
between sites, e-mails): the host is the site's primary domain, the scheme and port are
``PUBLIC_URL_SCHEME`` / ``PUBLIC_URL_PORT`` (``http`` and the demo's port in development,
``https`` without a port behind the production proxy).  Wagtail's ``Site`` row keeps port
80 and is only used to route; its ``root_url`` never reaches a page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_domain_model

DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin_for_host(host: str) -> str:
    """``scheme://host[:port]`` for ``host`` as the settings say visitors reach it."""
    scheme = (getattr(settings, "PUBLIC_URL_SCHEME", "") or "https").lower()
    port = str(getattr(settings, "PUBLIC_URL_PORT", "") or "").strip()
    suffix = f":{port}" if port and port != DEFAULT_PORTS.get(scheme) else ""
    return f"{scheme}://{host.lower().rstrip('.')}{suffix}"


def _primary_domain_of_schema(schema_name: str) -> str:
    domain = (
        get_tenant_domain_model()
        .objects.filter(tenant__schema_name=schema_name, is_primary=True)
        .values_list("domain", flat=True)
        .first()
    )
    return domain or ""


def site_host(request=None, tenant=None) -> str:
    """The primary domain of ``tenant``, of the request's site, or of the current schema.

    The routing middleware sets ``tenant.domain_url`` to the primary domain (aliases are
    redirected before) on the tenant it also gives the connection, so a page rendered in
    a request costs no query.
    """
    if tenant is None and getattr(request, "is_control_plane", False):
        # The console's own pages: the control domain the request came to.
        return request.get_host().rsplit(":", 1)[0].lower()
    if tenant is None:
        tenant = getattr(request, "tenant", None) or getattr(connection, "tenant", None)
    if tenant is None:
        return ""
    routed = getattr(tenant, "domain_url", "")
    if routed:
        return routed
    if hasattr(type(tenant), "primary_domain"):
        return tenant.primary_domain or ""
    schema = getattr(tenant, "schema_name", "")
    if schema and schema != get_public_schema_name():
        return _primary_domain_of_schema(schema)
    return ""


def site_origin(request=None, tenant=None) -> str:
    """``scheme://primary-domain[:port]`` of a site (``""`` when it has no domain)."""
    host = site_host(request, tenant)
    return origin_for_host(host) if host else ""


def absolute_url(path: str, request=None, tenant=None) -> str:
    """``path`` (``/tin-tuc/…``) made absolute on the site's public origin."""
    if path.startswith(("http://", "https://", "//")):
        return path
    origin = site_origin(request, tenant)
    return f"{origin}{path}" if origin else path
