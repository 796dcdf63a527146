"""Anonymous page responses cached per site in Redis; visits counted on every view.

A site's cached pages share a generation stamp: publishing, unpublishing, moving or
deleting a page, or changing content shown around pages (banners, notices, branding,
procedures), gives the site a new stamp and every cached page of that site is gone at
once; its listings never show a stale item.  A page holding an urgent-notice banner is
kept no longer than until the next banner starts or ends.

The middleware also counts the view (site visits, and a page's own counter named by the
``X-Portal-Count`` header its view sets) for cache hits and misses alike, and fills the
visit-counter placeholder of the footer, so cached pages still show live figures.

Keys are bounded, whatever a client sends:

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

import hashlib
import logging
import re
import uuid
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django_tenants.utils import schema_context

from . import counters, visits

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
COUNT_HEADER = "X-Portal-Count"
COUNTERS_PLACEHOLDER = b"<!--portal:visit-counters-->"
# A live average of 1–5 star counters (KIND-1 … KIND-5): <!--portal:average:KIND:ID-->.
AVERAGE_PLACEHOLDER = re.compile(rb"<!--portal:average:([a-z0-9][a-z0-9_.-]{0,60}):(\d{1,18})-->")
# A live counter inside a (possibly cached) page: <!--portal:count:KIND:ID-->.
COUNT_PLACEHOLDER = re.compile(rb"<!--portal:count:([a-z0-9][a-z0-9_.:-]{0,63}):(\d{1,18})-->")
SKIPPED_PREFIXES = (
    "/admin/",
    "/documents/",
    "/media/",
    "/static/",
    "/api/",
    "/tim-kiem/",
    "/healthz",
)
MAX_QUERY_LENGTH = 200
# Parameters added by ad and social networks (Google, Facebook, Zalo, Microsoft, mail tools).
TRACKING_PARAMETER = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|twclid|ttclid|"
    r"mc_cid|mc_eid|_ga|_gl|_hs\w*|zalo\w*|zarsrc|zl_\w*|ref_?src|fb_\w+)$",
    re.IGNORECASE,
)
ALL_PARAMETERS = "*"
# A page that reads every parameter gets at most this many cached variants per generation.
DEFAULT_VARIANTS = 50


def purge_site(schema: str | None = None) -> None:
    """Forget every cached page of a site, the current one by default (a new generation stamp).

    The cache is an optimisation: if Redis cannot be reached, the change that asked for
    the purge still stands (pages then expire within ``PAGE_CACHE_SECONDS``).
    """
    try:
        if schema is None:
            cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
            return
        with schema_context(schema):
            cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.warning("page cache of %s not purged", schema or "the current site", exc_info=True)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY) or generation
    return generation


class RecordingQueryDict(QueryDict):
    """``request.GET`` that remembers which parameters the view read (``used``)."""

    def _init_recording(self):
        if not hasattr(self, "used"):
            self.used: set[str] = set()
        return self.used

    def __getitem__(self, key):
        self._init_recording().add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._init_recording().add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self._init_recording().add(key)
        return super().getlist(key, default)

    def _all(self):
        self._init_recording().add(ALL_PARAMETERS)

    def copy(self):
        self._all()
        return QueryDict(self.urlencode(), mutable=True, encoding=self.encoding)

    def urlencode(self, safe=None):
        self._all()
        return super().urlencode(safe)

    def items(self):
        self._all()
        return super().items()

    def lists(self):
        self._all()
        return super().lists()

    def keys(self):
        self._all()
        return super().keys()

    def values(self):
        self._all()
        return super().values()

    def dict(self):
        self._all()
        return super().dict()

    def __iter__(self):
        self._all()
        return super().__iter__()

    def __len__(self):
        self._all()
        return super().__len__()


def _query_pairs(request) -> list[tuple[str, str]]:
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    return [(name, value) for name, value in pairs if not TRACKING_PARAMETER.match(name)]


def _canonical_host(request) -> str:
    """The site's primary domain (the routing middleware set it, lower case, no dot/port)."""
    tenant = getattr(request, "tenant", None)
    host = getattr(tenant, "domain_url", "") or request.get_host().split(":")[0]
    return host.lower().rstrip(".")


def _spelled_canonically(request) -> bool:
    """The Host header as links to the site spell it (so a stored page shows that host)."""
    host = request.META.get("HTTP_HOST", "")
    canonical = _canonical_host(request)
    port = str(getattr(settings, "PUBLIC_URL_PORT", "") or "")
    return host == canonical or (bool(port) and host == f"{canonical}:{port}")


def _cache_key(request, generation: str, pairs, used) -> str:
    """The key of a page: canonical host, path and the query parameters the page reads."""
    if used == ALL_PARAMETERS:
        kept = sorted(pairs)
    else:
        kept = sorted((name, value) for name, value in pairs if name in used)
    digest = hashlib.sha256(f"{request.path}?{urlencode(kept)}".encode()).hexdigest()[:40]
    return f"pagecache:{generation}:{_canonical_host(request)}:{digest}"


def _params_key(request, generation: str) -> str:
    digest = hashlib.sha256(request.path.encode()).hexdigest()[:40]
    return f"pagecache:{generation}:params:{_canonical_host(request)}:{digest}"


def _variants_key(request, generation: str) -> str:
    digest = hashlib.sha256(request.path.encode()).hexdigest()[:40]
    return f"pagecache:{generation}:variants:{_canonical_host(request)}:{digest}"


def _used_parameters(request) -> str | frozenset:
    used = (
        getattr(request.GET, "used", set())
        if isinstance(request.GET, RecordingQueryDict)
        else {ALL_PARAMETERS}
    )
    return ALL_PARAMETERS if ALL_PARAMETERS in used else frozenset(used)


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
    try:
        from component_sites.notices.queries import next_urgent_change
    except ImportError:  # pragma: no cover - the notices app is part of every site
        return seconds
    change = next_urgent_change()
    if change is not None:
        seconds = min(seconds, max(1, int((change - timezone.now()).total_seconds()) + 1))
    return seconds


def _fill_averages(content: bytes) -> bytes:
    """Put live star averages (``4,3``; ``–`` before the first rating) into a page."""
    wanted: dict[str, set[int]] = {}
    for kind, object_id in AVERAGE_PLACEHOLDER.findall(content):
        wanted.setdefault(kind.decode(), set()).add(int(object_id))
    averages: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        per_star = {stars: counters.get_counts(f"{kind}-{stars}", ids) for stars in range(1, 6)}
        for object_id in ids:
            votes = sum(per_star[stars][object_id] for stars in per_star)
            total = sum(stars * per_star[stars][object_id] for stars in per_star)
            averages[(kind, object_id)] = f"{total / votes:.1f}".replace(".", ",") if votes else "–"

    def replace(match: re.Match) -> bytes:
        return averages[(match.group(1).decode(), int(match.group(2)))].encode()

    return AVERAGE_PLACEHOLDER.sub(replace, content)


def _fill_counts(content: bytes) -> bytes:
    """Put the live values of the counters a page names into it (one read per kind)."""
    wanted: dict[str, set[int]] = {}
    for kind, object_id in COUNT_PLACEHOLDER.findall(content):
        wanted.setdefault(kind.decode(), set()).add(int(object_id))
    values = {kind: counters.get_counts(kind, ids) for kind, ids in wanted.items()}

    def replace(match: re.Match) -> bytes:
        number = values[match.group(1).decode()][int(match.group(2))]
        return intcomma(number).encode()

    return COUNT_PLACEHOLDER.sub(replace, content)


class PageCacheMiddleware:
    """Serve anonymous GETs of a site from Redis; count views; fill in live visit figures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self._finish(request, self.get_response(request))
        pairs = _query_pairs(request)
        # The view sees the query without tracking parameters, and records what it reads.
        recording = RecordingQueryDict(urlencode(pairs), encoding=request.encoding)
        recording.used = set()  # building the dict touched every key
        request.GET = recording
        try:
            generation = _generation()
            known = cache.get(_params_key(request, generation))
            key = None if known is None else _cache_key(request, generation, pairs, known)
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
            return self._finish(request, response)
        response = self.get_response(request)
        if _cacheable_response(request, response) and _spelled_canonically(request):
            self._store(request, response, generation, pairs, known)
        return self._finish(request, response)

    def _store(self, request, response, generation, pairs, known) -> None:
        used = _used_parameters(request)
        # What a path's page reads only grows within a generation (a parameter read only
        # with some others, e.g. a page number with a search, joins the set once seen).
        if known is not None and ALL_PARAMETERS not in (known, used):
            used = frozenset(known) | used
        elif known == ALL_PARAMETERS:
            used = ALL_PARAMETERS
        try:
            if known != used:
                cache.set(_params_key(request, generation), used, _lifetime())
            key = _cache_key(request, generation, pairs, used)
            if used and pairs:
                # Every distinct query is a variant: a bounded number of them per path.
                variants = _variants_key(request, generation)
                cache.add(variants, 0, settings.PAGE_CACHE_SECONDS)
                limit = getattr(settings, "PAGE_CACHE_VARIANTS", DEFAULT_VARIANTS)
                if not cache.has_key(key) and cache.incr(variants) > limit:
                    return
            headers = {
                header: value
                for header, value in response.items()
                if header in ("Content-Type", "Content-Language", "X-Frame-Options", COUNT_HEADER)
            }
            cache.set(key, {"content": response.content, "headers": headers}, _lifetime())
            response["X-Cache"] = "MISS"
        except Exception:
            logger.warning("page not cached", exc_info=True)

    def _finish(self, request, response):
        try:
            return self._count_and_fill(request, response)
        except Exception:
            # Counters are figures, not content: a Redis outage must not break the page.
            logger.warning("visit counters unavailable", exc_info=True)
            response.content = (
                AVERAGE_PLACEHOLDER.sub(b"", COUNT_PLACEHOLDER.sub(b"", response.content)).replace(
                    COUNTERS_PLACEHOLDER, b""
                )
                if not response.streaming
                else response.content
            )
            if response.has_header(COUNT_HEADER):
                del response[COUNT_HEADER]
            return response

    def _count_and_fill(self, request, response):
        if getattr(request, "is_control_plane", True) or getattr(request, "tenant", None) is None:
            return response
        html = response.get("Content-Type", "").startswith("text/html") and not response.streaming
        if response.status_code == 200 and html and request.method == "GET":
            if not visits.is_bot(request) and not request.path.startswith("/admin/"):
                visits.record_visit(request)
                counted = response.get(COUNT_HEADER)
                if counted:
                    kind, _sep, object_id = counted.rpartition(":")
                    if object_id.isdigit():
                        counters.increment(kind, int(object_id))
            if b"<!--portal:average:" in response.content:
                response.content = _fill_averages(response.content)
            if b"<!--portal:count:" in response.content:
                response.content = _fill_counts(response.content)
            if COUNTERS_PLACEHOLDER in response.content:
                block = render_to_string("core/includes/visit_counters.html", visits.figures())
                response.content = response.content.replace(COUNTERS_PLACEHOLDER, block.encode())
        if response.has_header(COUNT_HEADER):
            del response[COUNT_HEADER]
        return response
