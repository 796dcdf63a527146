"""``/healthz`` on every host: the state of PostgreSQL, Redis and the Celery worker.

Answered before tenant routing, so a load balancer can probe any address.
200 when all three are up, 503 otherwise; beat is reported but does not fail
the check (a stopped beat delays schedules, it does not break pages).
"""

from __future__ import annotations

import json
import time
from typing import Any

import redis
from django.conf import settings
from django.db import connections
from django.http import HttpResponse

WORKER_KEY_PREFIX = "health:worker:"
BEAT_KEY = "health:beat"


def health_redis_client(url: str | None = None) -> redis.Redis:
    """A plain Redis client (no tenant key prefix) for heartbeat keys."""
    return redis.Redis.from_url(
        url or settings.COUNTERS_REDIS_URL, socket_connect_timeout=2, socket_timeout=2
    )


def check_postgresql(wrapper=None) -> dict[str, Any]:
    wrapper = wrapper or connections["default"]
    started = time.monotonic()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the reason is reported
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_redis(client: redis.Redis | None = None) -> dict[str, Any]:
    client = client or health_redis_client()
    started = time.monotonic()
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_worker(client: redis.Redis | None = None) -> dict[str, Any]:
    client = client or health_redis_client()
    try:
        names = sorted(
            key.decode()[len(WORKER_KEY_PREFIX) :]
            for key in client.scan_iter(match=f"{WORKER_KEY_PREFIX}*", count=100)
        )
    except redis.RedisError as exc:
        return {"ok": False, "error": type(exc).__name__, "workers": []}
    return {"ok": bool(names), "workers": names}


def check_beat(client: redis.Redis | None = None) -> dict[str, Any]:
    client = client or health_redis_client()
    try:
        last = client.get(BEAT_KEY)
    except redis.RedisError as exc:
        return {"ok": False, "error": type(exc).__name__}
    if last is None:
        return {"ok": False, "last_seen": None}
    return {"ok": True, "seconds_ago": round(time.time() - float(last), 1)}


def health_report() -> tuple[int, dict[str, Any]]:
    client = health_redis_client()
    checks = {
        "postgresql": check_postgresql(),
        "redis": check_redis(client),
        "worker": check_worker(client),
        "beat": check_beat(client),
    }
    healthy = all(checks[name]["ok"] for name in ("postgresql", "redis", "worker"))
    return (200 if healthy else 503), {"status": "ok" if healthy else "degraded", **checks}


class HealthCheckMiddleware:
    """Answers ``/healthz`` for any host, before the tenant middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == "/healthz":
            status, body = health_report()
            response = HttpResponse(
                json.dumps(body, ensure_ascii=False),
                status=status,
                content_type="application/json; charset=utf-8",
            )
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
