"""The edge cache (Varnish) in front of the web processes: bans a site's pages on purge.

Whenever a site's page cache is purged (publish, unpublish, move, banner or notice saved,
syndicated procedures, console actions…; see ``component_sites.core.page_cache``), every
domain of the site is purged from the edge too, through Wagtail's frontend-cache backends
(``WAGTAILFRONTENDCACHE``, set from ``EDGE_CACHE_URL``): one ``PURGE http://<domain>/``
each, which ``deploy/varnish/portal.vcl`` turns into a ban of every cached URL of that
host under that path.  A whole site goes at once, as in the page cache: its listings, home
page and feeds never show a stale item.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger(__name__)


def site_urls(schema: str) -> list[str]:
    """The root URL of every domain of the site in ``schema`` (aliases answer 301 anyway)."""
    from .models import Domain

    with schema_context(get_public_schema_name()):
        names = Domain.objects.filter(tenant__schema_name=schema).values_list("domain", flat=True)
        return [f"http://{name}/" for name in names]


def purge_edge(schema: str) -> None:
    """Ban every cached page of the site in ``schema`` from the edge cache(s)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    urls = site_urls(schema)
    if urls:
        purge_urls_from_cache(urls)


def register() -> None:
    from component_sites.core.page_cache import on_purge

    on_purge(purge_edge)
