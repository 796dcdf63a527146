"""Anonymous page responses cached per site in Redis; visits counted on every view.

A site's cached pages share a generation stamp: publishing, unpublishing, moving or
deleting a page, or changing content shown around pages (banners, notices, branding,
procedures), gives the site a new stamp and every cached page of that site is gone at
once; its listings never show a stale item.  A page holding an urgent-notice banner is
kept no longer than until the next banner starts or ends.

The middleware also counts the view (site visits, and a page's own counter named by the
``X-Portal-Count`` header its view sets) for cache hits and misses alike, and fills the
visit-counter placeholder of the footer, so cached pages still show live figures.

Keys are bounded, whatever a client sends (``page_cache_keys``):

- the host is the site's canonical (primary) domain: case, a trailing dot or a port make
  no new entry; a page is stored only from a request that spelled the host canonically
  (the page may show the host), and served to every spelling;
- tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``zalo…``) are taken off the query
  before the view sees it;
- the query parameters that count are those the page's view read (``request.GET`` records
  them, remembered per path): a page that reads none is one entry, and unknown parameters
  are served that entry; a page that reads some (a page number, filters) or all of them (a
  listing that carries its filters into its links) gets at most ``PAGE_CACHE_VARIANTS``
  entries with a query per path and generation;
- the path and query part of the key is a hash (fixed length).
"""

from __future__ import annotations

import logging
import time
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django_tenants.utils import schema_context

from . import live, page_cache_keys, registry, visits

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
COUNT_HEADER = "X-Portal-Count"
COUNTERS_PLACEHOLDER = live.VISITS_PLACEHOLDER
SKIPPED_PREFIXES = (
    "/admin/",
    "/documents/",
    "/media/",
    "/static/",
    "/api/",
    "/tim-kiem/",
    "/healthz",
    "/_live/",
)
MAX_QUERY_LENGTH = 200
# A page that reads every parameter gets at most this many cached variants per generation.
DEFAULT_VARIANTS = 50


# Called with a site's schema name after its pages were purged, once the change is
# committed (the edge cache's ban: ``tenants.edge_cache`` registers it).
PURGE_HOOKS: list = []


def on_purge(hook) -> None:
    """Register ``hook(schema)``, run when a site's pages are purged (after the commit)."""
    if hook not in PURGE_HOOKS:
        PURGE_HOOKS.append(hook)


def _run_purge_hooks(schema: str) -> None:
    for hook in PURGE_HOOKS:
        try:
            hook(schema)
        except Exception:
            logger.warning("purge of %s not passed on by %r", schema, hook, exc_info=True)


def purge_site(schema: str | None = None) -> None:
    """Forget every cached page of a site, the current one by default (a new generation stamp).

    The cache is an optimisation: if Redis cannot be reached, the change that asked for
    the purge still stands (pages then expire within ``PAGE_CACHE_SECONDS``).  The hooks
    (the edge cache) run when the transaction commits: a ban before the commit would let
    a request in between store the old page again.
    """
    schema = schema or connection.schema_name
    _new_generation(schema)
    # Again at the commit: a request that read the old rows between the first stamp and the
    # commit stored the old page under that stamp, which no later request reads.
    transaction.on_commit(lambda: _new_generation(schema))
    if PURGE_HOOKS:
        transaction.on_commit(lambda: _run_purge_hooks(schema))


def _new_generation(schema: str) -> None:
    try:
        with schema_context(schema):
            cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.warning("page cache of %s not purged", schema, exc_info=True)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY) or generation
    return generation


def _cacheable_request(request) -> bool:
    if getattr(request, "is_control_plane", True) or request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(SKIPPED_PREFIXES) or len(request.META.get("QUERY_STRING", "")) > (
        MAX_QUERY_LENGTH
    ):
        return False
    # A session cookie: possibly an editor (the admin bar, previews), never from the cache.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("Set-Cookie")
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        # A page rendering {% csrf_token %} is per visitor: Django 5 flags it with
        # CSRF_COOKIE_NEEDS_UPDATE (CSRF_COOKIE_USED is what older versions set).
        and not request.META.get("CSRF_COOKIE_USED")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _lifetime() -> int:
    """Seconds to keep a page: the default, or less when an urgent banner starts or ends sooner."""
    seconds = settings.PAGE_CACHE_SECONDS
    change = registry.next_expiry()
    if change is not None:
        seconds = min(seconds, max(1, int((change - timezone.now()).total_seconds()) + 1))
    return seconds


def _mark_public(response, seconds: float, made: float | None) -> None:
    """Headers an edge cache (and browsers, revalidating) use for an anonymous page.

    ``s-maxage``: the edge keeps it as long as the page cache does (at most until the next
    urgent banner change; publishing bans it before that); browsers revalidate every time
    (``max-age=0``: the ETag of ``ConditionalGetMiddleware`` answers 304).
    """
    seconds = max(1, int(seconds))
    response["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
    if made:
        response["Last-Modified"] = http_date(made)
    patch_vary_headers(response, ("Cookie",))


def _mark_private(request, response):
    """Pages of a signed-in visitor, with a form token or a cookie: never kept by anyone."""
    if "public" in response.get("Cache-Control", "") or response.streaming:
        return response
    per_visitor = (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or getattr(getattr(request, "user", None), "is_authenticated", False)
        or response.cookies
        or request.META.get("CSRF_COOKIE_USED")
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )
    if per_visitor:
        response["Cache-Control"] = "private, no-store"
    return response


class PageCacheMiddleware:
    """Serve anonymous GETs of a site from Redis; count views; fill in live visit figures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self._finish(request, _mark_private(request, self.get_response(request)))
        pairs = page_cache_keys.query_pairs(request)
        # The view sees the query without tracking parameters, and records what it reads.
        recording = page_cache_keys.RecordingQueryDict(urlencode(pairs), encoding=request.encoding)
        recording.used = set()  # building the dict touched every key
        request.GET = recording
        try:
            generation = _generation()
            known = cache.get(page_cache_keys.params_key(request, generation))
            key = (
                None
                if known is None
                else page_cache_keys.cache_key(request, generation, pairs, known)
            )
            stored = None if key is None else cache.get(key)
        except Exception:
            # Redis down: serve the page uncached rather than fail.
            logger.warning("page cache unavailable", exc_info=True)
            return self._finish(request, self.get_response(request))
        if stored is not None:
            response = HttpResponse(stored["content"], status=200)
            for header, value in stored["headers"].items():
                response[header] = value
            response["X-Cache"] = "HIT"
            if page_cache_keys.whole_query_kept(pairs, known):
                _mark_public(response, stored.get("expires", 0) - time.time(), stored.get("made"))
            return self._finish(request, response)
        response = self.get_response(request)
        if _cacheable_response(request, response) and page_cache_keys.spelled_canonically(request):
            self._store(request, response, generation, pairs, known)
        return self._finish(request, _mark_private(request, response))

    def _store(self, request, response, generation, pairs, known) -> None:
        used = page_cache_keys.used_parameters(request)
        # What a path's page reads only grows within a generation (a parameter read only
        # with some others, e.g. a page number with a search, joins the set once seen).
        if known is not None and page_cache_keys.ALL_PARAMETERS not in (known, used):
            used = frozenset(known) | used
        elif known == page_cache_keys.ALL_PARAMETERS:
            used = page_cache_keys.ALL_PARAMETERS
        try:
            lifetime = _lifetime()
            if known != used:
                cache.set(page_cache_keys.params_key(request, generation), used, lifetime)
            key = page_cache_keys.cache_key(request, generation, pairs, used)
            if used and pairs:
                # Every distinct query is a variant: a bounded number of them per path.
                variants = page_cache_keys.variants_key(request, generation)
                cache.add(variants, 0, settings.PAGE_CACHE_SECONDS)
                limit = getattr(settings, "PAGE_CACHE_VARIANTS", DEFAULT_VARIANTS)
                if not cache.has_key(key) and cache.incr(variants) > limit:
                    return
            headers = {
                header: value
                for header, value in response.items()
                if header in ("Content-Type", "Content-Language", "X-Frame-Options", COUNT_HEADER)
            }
            made = time.time()
            entry = {"content": response.content, "headers": headers}
            cache.set(key, {**entry, "expires": made + lifetime, "made": made}, lifetime)
            response["X-Cache"] = "MISS"
            if page_cache_keys.whole_query_kept(pairs, used):
                _mark_public(response, lifetime, made)
        except Exception:
            logger.warning("page not cached", exc_info=True)

    def _finish(self, request, response):
        try:
            return self._count_and_fill(request, response)
        except Exception:
            # Counters are figures, not content: a Redis outage must not break the page.
            logger.warning("visit counters unavailable", exc_info=True)
            if not response.streaming:
                response.content = live.strip(response.content)
            if response.has_header(COUNT_HEADER):
                del response[COUNT_HEADER]
            return response

    def _count_and_fill(self, request, response):
        if getattr(request, "is_control_plane", True) or getattr(request, "tenant", None) is None:
            return response
        html = response.get("Content-Type", "").startswith("text/html") and not response.streaming
        counted = response.get(COUNT_HEADER, "")
        if response.has_header(COUNT_HEADER):
            del response[COUNT_HEADER]
        if response.status_code != 200 or not html or request.method != "GET":
            return response
        parts = live.parts_in(response.content)
        kind, _sep, object_id = counted.rpartition(":")
        count = (kind, int(object_id)) if kind and object_id.isdigit() else None
        if live.by_beacon():
            # An edge cache serves this HTML without Django: the page's script counts the
            # view through /_live/ (named here), and refreshes the values filled below.
            if count is not None:
                tag = f'<meta name="portal-count" content="{kind}:{object_id}">'
                response.content = response.content.replace(
                    b"</head>", tag.encode() + b"</head>", 1
                )
            visitor, count = None, None
        else:
            human = not visits.is_bot(request) and not request.path.startswith("/admin/")
            visitor, count = (request, count) if human else (None, None)
        if parts or visitor is not None:
            values = live.read(parts, visit_of=visitor, count=count)
            if parts:
                response.content = live.fill(response.content, values)
        return response
