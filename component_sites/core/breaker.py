"""A circuit breaker for a service a request can live without (Redis: cache, counters).

After a connection error the service is left alone for ``retry_after`` seconds: callers
ask ``allows()`` first and take their fallback at once instead of waiting for another
connect timeout.  The next call after that delay tries the service again; one success
closes the breaker.  The outage is logged when it starts, at most once per ``log_every``
seconds while it lasts, and when the service answers again (with its duration).

One breaker per service per process (``breaker(name)``), shared by all threads.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit

logger = logging.getLogger("portal.outages")

RETRY_AFTER = 5.0
LOG_EVERY = 60.0


class CircuitBreaker:
    def __init__(self, name: str, retry_after: float = RETRY_AFTER, log_every: float = LOG_EVERY):
        self.name = name
        self.retry_after = float(retry_after)
        self.log_every = float(log_every)
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._down_since: float | None = None
        self._last_logged = float("-inf")
        self.failures = 0  # connection errors seen while down (reported in the logs)

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def allows(self) -> bool:
        """True when the service may be tried (closed, or its retry delay has passed)."""
        return time.monotonic() >= self._open_until

    def failed(self, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._open_until = now + self.retry_after
            self.failures += 1
            if self._down_since is None:
                self._down_since = now
            if now - self._last_logged < self.log_every:
                return
            self._last_logged = now
            down_for = now - self._down_since
        logger.warning(
            "%s unreachable (%s: %s), down for %.0f s: using the local fallback, "
            "next try in %.1f s",
            self.name,
            type(error).__name__,
            error,
            down_for,
            self.retry_after,
        )

    def succeeded(self) -> bool:
        """Record a success; true if this closed the breaker (the service came back)."""
        if self._down_since is None:
            return False
        with self._lock:
            if self._down_since is None:
                return False
            down_for = time.monotonic() - self._down_since
            failures, self.failures = self.failures, 0
            self._down_since = None
            self._open_until = 0.0
            self._last_logged = float("-inf")
        logger.warning(
            "%s reachable again after %.1f s (%d failed calls)", self.name, down_for, failures
        )
        return True


_breakers: dict[str, CircuitBreaker] = {}
_registry_lock = threading.Lock()


def breaker(name: str, retry_after: float = RETRY_AFTER) -> CircuitBreaker:
    """The process's breaker for the service ``name`` (created on first use)."""
    with _registry_lock:
        if name not in _breakers:
            _breakers[name] = CircuitBreaker(name, retry_after)
        item = _breakers[name]
        item.retry_after = float(retry_after)  # the latest setting wins
        return item


def redis_breaker(url: str, retry_after: float = RETRY_AFTER) -> CircuitBreaker:
    """The breaker of the Redis server behind ``url`` (any database number, any use).

    The cache and the counters usually live on one server: one breaker for both means one
    timeout per retry delay, not one per use.
    """
    parts = urlsplit(url)
    server = parts.path if parts.scheme == "unix" else (parts.netloc.rpartition("@")[2])
    return breaker(f"Redis {server}", retry_after)


def reset_all() -> None:
    """Forget every outage (tests that stop and start a service of their own)."""
    with _registry_lock:
        for item in _breakers.values():
            with item._lock:
                item._open_until = 0.0
                item._down_since = None
                item._last_logged = float("-inf")
                item.failures = 0
