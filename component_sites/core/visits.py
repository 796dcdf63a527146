"""Visit counters of a site: online now, today, this month, this year, total.

A page view touches Redis only: three counter increments (persisted by the beat flush of
``core.counters``) and one entry in a sorted set of recent visitors (online now).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from portal.client_ip import client_ip

from . import counters

ONLINE_WINDOW = 5 * 60  # a visitor counts as online for five minutes after a page view
FIGURES_CACHE_SECONDS = 30
TOTAL = "visits:total"
BOT_MARKERS = ("bot", "spider", "crawl", "slurp", "headless", "monitor", "curl", "wget")


def day_kind(now=None) -> str:
    return "visits:day:" + timezone.localdate(now).strftime("%Y%m%d")


def month_kind(now=None) -> str:
    return "visits:month:" + timezone.localdate(now).strftime("%Y%m")


def year_kinds(now=None) -> list[str]:
    """The monthly counters of this calendar year so far (their sum is the year's visits)."""
    today = timezone.localdate(now)
    return [f"visits:month:{today.year}{month:02d}" for month in range(1, today.month + 1)]


def year_total(now=None) -> int:
    """Visits of this calendar year (Asia/Ho_Chi_Minh): the sum of its months' counters.

    Read from the monthly counters rather than counted apart, so a page view still makes
    three increments and the years before this figure existed add up too.
    """
    return counters.sum_counts(year_kinds(now), 0)


def online_key(schema: str) -> str:
    return f"visits:online:{schema}"


def is_bot(request) -> bool:
    agent = request.META.get("HTTP_USER_AGENT", "").lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)


def visitor_id(request) -> str:
    """A short id of the visitor (address and browser), only for the "online now" figure.

    Keyed with the site's secret (an unkeyed hash of an IPv4 address is reversed by trying
    them all); the address is the client's as read behind trusted proxies.  A header change
    makes a second "online" entry for five minutes at most: no limit relies on this id
    (ratings use the participation app's visitor cookie and per-address cap).
    """
    raw = f"{client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')[:512]}"
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.blake2b).hexdigest()[:16]


def record_visit(request) -> None:
    """Count one page view of the current site (Redis only)."""
    schema = connection.schema_name
    now = time.time()
    for kind in (day_kind(), month_kind(), TOTAL):
        counters.increment(kind, 0, schema=schema)

    def mark_online():
        pipe = counters.client().pipeline(transaction=False)
        queue_online(pipe, schema, visitor_id(request), now)
        return pipe.execute()

    # Redis down: the view is counted later (held), "online now" just misses it.
    counters.redis_call(mark_online, None)


def queue_online(pipe, schema: str, visitor: str, now: float) -> None:
    """Queue the "online now" mark of a visitor on a caller's pipeline."""
    pipe.zadd(online_key(schema), {visitor: now})
    pipe.zremrangebyscore(online_key(schema), 0, now - ONLINE_WINDOW)
    pipe.expire(online_key(schema), ONLINE_WINDOW * 2)


def figures() -> dict[str, int]:
    """Online now, today, this month, this year and total of the site (cached for 30 s)."""
    key = "visits:figures"
    cached = cache.get(key)
    if cached is not None:
        return cached
    schema = connection.schema_name
    now = time.time()
    online = counters.redis_call(
        lambda: counters.client().zcount(online_key(schema), now - ONLINE_WINDOW, "+inf"), 1
    )
    values = {
        "online": max(int(online), 1),
        "today": counters.get_count(day_kind(), 0),
        "month": counters.get_count(month_kind(), 0),
        "year": year_total(),
        "total": counters.get_count(TOTAL, 0),
    }
    cache.set(key, values, FIGURES_CACHE_SECONDS)
    return values
