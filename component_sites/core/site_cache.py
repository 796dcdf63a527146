"""Facts every page of a site needs (menu, sections, branding, view restrictions…), cached.

An uncached page used to ask PostgreSQL the same site-wide questions on every render: is
any page of the site restricted, which sections and menu items exist, the site's branding,
its link groups.  ``get(name, build)`` keeps ``build()``'s answer in Redis under a key
made of two stamps of the site (keys carry the schema: ``django_tenants.cache.make_key``):

- the page cache's generation (``PAGE_GENERATION_KEY``), renewed whenever the
  content shown around pages changes (publish, unpublish, move, delete, banners, notices,
  branding, links…: ``signal_handlers``);
- a stamp of its own (``VERSION_KEY``), renewed when any page row, view restriction,
  Wagtail ``Site`` row or image rendition is saved or deleted, at once and again when the
  transaction commits (a request that read the old rows before the commit stored them under
  the old stamp, which no later request reads).

Within a request each answer is also kept in memory (one Redis round trip per fact).
While Redis is down nothing is kept (``sitecache:`` is one of the cache's
``NO_FALLBACK_PREFIXES``): every answer is built again from the database, never stale.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import schema_context

logger = logging.getLogger(__name__)

VERSION_KEY = "sitecache:version"
# The page cache's generation stamp (``page_cache.GENERATION_KEY``; named here, not imported:
# the page cache imports what imports this module).
PAGE_GENERATION_KEY = "pagecache:generation"
# The longest an answer is kept (a missed change could cost no more than this).
SECONDS = 60 * 60
_MISSING = object()
_STAMP = "<stamp>"
_state = threading.local()


def _memo() -> dict | None:
    """The current request's answers (None outside a request: tasks, commands, shells)."""
    return getattr(_state, "memo", None)


def _request_started(**_kwargs) -> None:
    _state.memo = {}


def _request_finished(**_kwargs) -> None:
    _state.memo = None


def _stamp() -> str:
    found = cache.get_many([PAGE_GENERATION_KEY, VERSION_KEY])
    generation = found.get(PAGE_GENERATION_KEY)
    if generation is None:  # as the page cache does: the first request of a site sets it
        cache.add(PAGE_GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(PAGE_GENERATION_KEY) or uuid.uuid4().hex
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or uuid.uuid4().hex
    return f"{generation}:{version}"


def per_request(name: str, make: Callable):
    """``make()``, once per request and site (every call outside a request)."""
    memo = _memo()
    if memo is None:
        return make()
    key = (connection.schema_name, name)
    if key not in memo:
        memo[key] = make()
    return memo[key]


# Names read on (nearly) every page of a site, per schema: a request's first read fetches
# them all in one round trip (bounded: names are the code's own, not a client's).
_SHARED: dict[str, set[str]] = {}
_MAX_SHARED = 64
_BATCH = "<batch>"


def get(name: str, build: Callable, seconds: int | Callable | None = None, *, shared=False):
    """``build()`` for the current site, kept until what it reads changes.

    ``seconds`` bounds the entry's life (``SECONDS`` by default); a callable gets the
    value and returns it (e.g. until the next banner starts or ends; 0 keeps nothing).
    ``shared``: read on most pages (menu, branding…): fetched with the others of its kind
    in one Redis round trip at a request's first read.
    """
    if shared:
        names = _SHARED.setdefault(connection.schema_name, set())
        if name not in names and len(names) < _MAX_SHARED:
            names.add(name)
    return per_request(name, lambda: _cached(name, build, seconds, shared))


def _batch(stamp: str) -> dict:
    names = sorted(_SHARED.get(connection.schema_name, ()))
    return cache.get_many([f"sitecache:{stamp}:{name}" for name in names]) if names else {}


def _cached(name: str, build: Callable, seconds, shared: bool = False):
    try:
        stamp = per_request(_STAMP, _stamp)
        key = f"sitecache:{stamp}:{name}"
        batch = per_request(_BATCH, lambda: _batch(stamp)) if shared and _memo() is not None else {}
        found = batch[key] if key in batch else cache.get(key, _MISSING)
    except Exception:  # the cache falls back on its own; anything else: ask the database
        logger.warning("site cache unavailable", exc_info=True)
        return build()
    if found is not _MISSING:
        return found
    value = build()
    lifetime = seconds(value) if callable(seconds) else seconds
    lifetime = SECONDS if lifetime is None else min(int(lifetime), SECONDS)
    if lifetime > 0:
        try:
            cache.set(key, value, lifetime)
        except Exception:
            logger.warning("site cache not written", exc_info=True)
    return value


def forget(schema: str | None = None) -> None:
    """Drop every cached answer of a site (the current one by default), now and at the commit."""
    schema = schema or connection.schema_name
    _renew(schema)
    transaction.on_commit(lambda: _renew(schema))


def _drop_memo(schema: str) -> None:
    memo = _memo()
    if memo:
        for key in [key for key in memo if key[0] == schema]:
            del memo[key]


def _renew(schema: str) -> None:
    _drop_memo(schema)
    try:
        with schema_context(schema):
            cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.warning("site cache of %s not renewed", schema, exc_info=True)


# View restrictions ------------------------------------------------------------------------


def restricted_paths() -> tuple[str, ...]:
    """Tree paths of the site's pages that carry a view restriction (usually none)."""
    from wagtail.models import PageViewRestriction

    def build():
        rows = PageViewRestriction.objects.order_by().values_list("page__path", flat=True)
        return tuple(sorted(set(rows)))

    return get("restricted-paths", build, shared=True)


def public(queryset):
    """``queryset.public()`` without its query: the restricted pages and those below them
    left out (Wagtail's ``PageQuerySet.private_q``, from the cached paths)."""
    paths = restricted_paths()
    if not paths:
        return queryset
    private = Q()
    for path in paths:
        private |= Q(path__startswith=path)
    return queryset.exclude(private)


def _changed(sender, **_kwargs) -> None:
    from wagtail.images.models import AbstractRendition
    from wagtail.models import Page, PageViewRestriction, Site

    # A rendition made or removed: the images kept here carry their renditions as they were.
    if issubclass(sender, Page | PageViewRestriction | Site | AbstractRendition):
        forget()
    else:  # whatever this request already read may have changed (an urgent notice saved)
        _drop_memo(connection.schema_name)


def register() -> None:
    request_started.connect(_request_started, dispatch_uid="sitecache-request-started")
    request_finished.connect(_request_finished, dispatch_uid="sitecache-request-finished")
    post_save.connect(_changed, dispatch_uid="sitecache-saved")
    post_delete.connect(_changed, dispatch_uid="sitecache-deleted")


# Wagtail's Site of the request ------------------------------------------------------------


def wagtail_site(request):
    """The request's Wagtail ``Site`` with its home page (specific), from the site cache.

    None when the Host header is not spelled as the site's primary domain (Wagtail then
    finds the site itself), so that a client cannot make a new entry per spelling.
    """
    from django.http.request import split_domain_port
    from wagtail.models import Site

    tenant = getattr(request, "tenant", None)
    hostname = split_domain_port(request._get_raw_host())[0]
    if not hostname or hostname != getattr(tenant, "domain_url", None):
        return None
    port = request.get_port()

    def build():
        site = Site._find_for_request(request)
        if site is not None and site.root_page_id:
            site.root_page = site.root_page.specific
        return site

    return get(f"wagtail-site:{hostname}:{port}", build, shared=True)


class WagtailSiteMiddleware:
    """Anonymous pages find their Wagtail ``Site`` and home page without a query.

    Inside the page cache (its hits never get here); not for the admin, whose pages keep
    Wagtail's own lookup.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not getattr(request, "is_control_plane", True)
            and request.method in ("GET", "HEAD")
            and not request.path.startswith("/admin/")
            and not hasattr(request, "_wagtail_site")
        ):
            site = wagtail_site(request)
            if site is not None:
                request._wagtail_site = site
        return self.get_response(request)
