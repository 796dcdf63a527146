"""Django's Redis cache, with a per-process local fallback while Redis is unreachable.

Every cache alias uses ``ResilientRedisCache``.  Wagtail (site root paths, renditions),
the login lockout, the captcha's single use and the citizen forms' limits all go through
the cache, so a Redis outage must not reach them as an exception:

- a connection error or timeout opens a circuit breaker (``component_sites.core.breaker``)
  for ``RETRY_AFTER`` seconds; meanwhile every call goes straight to a local-memory cache
  of the process (Django's ``LocMemCache``, same keys, same timeouts), so requests do not
  each wait for a connect timeout.  The outage is logged when it starts, once a minute
  while it lasts, and when Redis answers again;
- after the delay the next call tries Redis again; on success the local copy is dropped
  (it would be stale at the next outage) and Redis is used as before.

What degrades while Redis is down, per process: lockout counts and used captcha tokens are
counted by each web process on its own; keys under ``NO_FALLBACK_PREFIXES`` (the page
cache) are not kept at all, so pages render uncached and a purge is never missed.

django-redis' ``IGNORE_EXCEPTIONS`` was the other candidate: it answers every call with
"nothing" (``add`` false, ``incr`` None) and tries Redis on every call, so the captcha
would refuse every answer as "already used", lockouts would stop counting and each request
would wait for the connect timeout.  A fallback that keeps working semantics is simpler
for the callers.
"""

from __future__ import annotations

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from component_sites.core.breaker import redis_breaker

# What "Redis is unreachable" looks like (BusyLoadingError is a ConnectionError too).
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
# Local stores written during an outage, dropped at the first success after it.
_used_fallbacks: set[str] = set()


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that falls back to a local-memory cache while Redis is down.

    Extra ``OPTIONS`` (the others go to redis-py's connection pool, as in Django):
    ``RETRY_AFTER`` seconds between attempts while down (5), ``FALLBACK_MAX_ENTRIES`` of
    the local cache (5000), ``NO_FALLBACK_PREFIXES``: raw key prefixes never kept locally.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("RETRY_AFTER", 5))
        max_entries = int(options.pop("FALLBACK_MAX_ENTRIES", 5000))
        self._no_fallback = tuple(options.pop("NO_FALLBACK_PREFIXES", ()))
        super().__init__(server, {**params, "OPTIONS": options})
        shared = {
            name: params[name]
            for name in ("TIMEOUT", "KEY_PREFIX", "KEY_FUNCTION", "VERSION")
            if name in params
        }
        location = server if isinstance(server, str) else ",".join(server)
        self.breaker = redis_breaker(location.split(",")[0], retry_after)
        # Named by server: every alias on the same Redis shares one local store per process.
        self._local_name = f"portal-fallback:{location}"
        self._local = LocMemCache(
            self._local_name,
            {**shared, "OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 3}},
        )
        self._nothing = DummyCache("", shared)

    @property
    def degraded(self) -> bool:
        """True while Redis is considered down (answers come from the local fallback)."""
        return self.breaker.is_down

    def _fallback_for(self, key):
        if self._no_fallback and isinstance(key, str) and key.startswith(self._no_fallback):
            return self._nothing
        return self._local

    def _call(self, name, key, *args, **kwargs):
        if self.breaker.allows():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except REDIS_DOWN as error:
                self.breaker.failed(error)
            else:
                self.breaker.succeeded()
                if self._local_name in _used_fallbacks:
                    # Back on Redis: what was kept meanwhile would be stale at the next outage.
                    _used_fallbacks.discard(self._local_name)
                    self._local.clear()
                return result
        _used_fallbacks.add(self._local_name)
        return getattr(self._fallback_for(key), name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", None, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        self._local.clear()
        return self._call("clear", None)
