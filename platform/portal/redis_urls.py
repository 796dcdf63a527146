"""Derive the Redis URLs of each use (broker, cache, counters) from one REDIS_URL.

REDIS_URL is either a TCP URL (``redis://host:6379/0``) or a unix socket URL
(``unix:///path/redis.sock``), which the embedded Redis uses.  Each use gets
its own database number so that flushing the cache never drops queued tasks.
"""

import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# All four numbers move by REDIS_DB_BASE, so that the test suite (base 8) never
# touches the queues, cache or heartbeats of a platform sharing the same server.
_BASE = int(os.environ.get("REDIS_DB_BASE", "0"))
BROKER_DB = _BASE + 0
CACHE_DB = _BASE + 1
COUNTERS_DB = _BASE + 2
RESULTS_DB = _BASE + 3


def with_db(url: str, db: int) -> str:
    """Return ``url`` pointing at database number ``db`` (for redis-py)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        query["db"] = str(db)
        return f"unix://{parts.path}?{urlencode(query)}"
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"REDIS_URL must start with redis://, rediss:// or unix://, not {url!r}")
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


def kombu_url(url: str, db: int) -> str:
    """Return the Celery (kombu) broker URL for ``url`` at database ``db``.

    kombu spells a unix socket ``redis+socket:///path?virtual_host=N``.
    """
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"redis+socket://{parts.path}?virtual_host={db}"
    return with_db(url, db)
