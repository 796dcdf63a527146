"""The page cache's keys: canonical host, the query a page reads, tracking parameters dropped.

A key is ``pagecache:<generation>:<canonical host>:<hash of path and kept query>``; which
query parameters are kept is learnt from the view itself (``RecordingQueryDict`` notes
what ``request.GET`` was asked for), so unknown parameters make no new entry.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import QueryDict

# Parameters added by ad and social networks (Google, Facebook, Zalo, Microsoft, mail tools).
TRACKING_PARAMETER = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|twclid|ttclid|"
    r"mc_cid|mc_eid|_ga|_gl|_hs\w*|zalo\w*|zarsrc|zl_\w*|ref_?src|fb_\w+)$",
    re.IGNORECASE,
)
ALL_PARAMETERS = "*"


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


def query_pairs(request) -> list[tuple[str, str]]:
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    return [(name, value) for name, value in pairs if not TRACKING_PARAMETER.match(name)]


def canonical_host(request) -> str:
    """The site's primary domain (the routing middleware set it, lower case, no dot/port)."""
    tenant = getattr(request, "tenant", None)
    host = getattr(tenant, "domain_url", "") or request.get_host().split(":")[0]
    return host.lower().rstrip(".")


def spelled_canonically(request) -> bool:
    """The Host header as links to the site spell it (so a stored page shows that host)."""
    host = request.META.get("HTTP_HOST", "")
    canonical = canonical_host(request)
    port = str(getattr(settings, "PUBLIC_URL_PORT", "") or "")
    return host == canonical or (bool(port) and host == f"{canonical}:{port}")


def cache_key(request, generation: str, pairs, used) -> str:
    """The key of a page: canonical host, path and the query parameters the page reads."""
    if used == ALL_PARAMETERS:
        kept = sorted(pairs)
    else:
        kept = sorted((name, value) for name, value in pairs if name in used)
    digest = hashlib.sha256(f"{request.path}?{urlencode(kept)}".encode()).hexdigest()[:40]
    return f"pagecache:{generation}:{canonical_host(request)}:{digest}"


def params_key(request, generation: str) -> str:
    digest = hashlib.sha256(request.path.encode()).hexdigest()[:40]
    return f"pagecache:{generation}:params:{canonical_host(request)}:{digest}"


def variants_key(request, generation: str) -> str:
    digest = hashlib.sha256(request.path.encode()).hexdigest()[:40]
    return f"pagecache:{generation}:variants:{canonical_host(request)}:{digest}"


def used_parameters(request) -> str | frozenset:
    used = (
        getattr(request.GET, "used", set())
        if isinstance(request.GET, RecordingQueryDict)
        else {ALL_PARAMETERS}
    )
    return ALL_PARAMETERS if ALL_PARAMETERS in used else frozenset(used)


def whole_query_kept(pairs, used) -> bool:
    """True when the page's key holds every parameter asked (tracking ones aside).

    Only then may an edge cache keep the response under its URL: a parameter the page
    ignores (``?x=1``) would otherwise make one more copy per value at the edge.
    """
    if not pairs or used == ALL_PARAMETERS:
        return True
    return used is not None and all(name in used for name, _value in pairs)
