"""The platform's own checks of each site's home page: availability and response time.

``tasks.scoring.probe_site`` fetches the home page over real HTTP, as a citizen's browser
would (a plain GET of ``/``, no query string, so an anonymous visitor's cached page is what
gets measured), and adds the outcome to the site's row of the day (``SiteProbe``).
"""

from __future__ import annotations

import datetime
import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg2.extras import Json

from tenants.models import Tenant

from .models import SiteProbe

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36 CongThongTinProbe/1.0 (platform availability check)"
)
# A day holds at most one timing per scheduled check; failures beyond this are only counted.
MAX_FAILURES_PER_DAY = 50


def max_timings_per_day() -> int:
    return 24 * 60 * 60 // int(settings.SITE_PROBE_INTERVAL_SECONDS)


@dataclass
class ProbeResult:
    ok: bool
    elapsed_ms: int | None
    reason: str = ""
    at: datetime.datetime | None = None


@dataclass
class Target:
    scheme: str
    host: str
    port: int | None
    host_header: str

    @property
    def url(self) -> str:
        port = f":{self.port}" if self.port else ""
        return f"{self.scheme}://{self.host}{port}/"


def target_for(tenant: Tenant) -> Target | None:
    """Where to send the check: ``PROBE_BASE_URL`` with the site's ``Host``, else its URL."""
    domain = tenant.primary_domain
    if not domain:
        return None
    base = (getattr(settings, "PROBE_BASE_URL", "") or "").strip()
    if base:
        parts = urlsplit(base)
        return Target(parts.scheme or "http", parts.hostname or "", parts.port, domain)
    port = str(settings.PUBLIC_URL_PORT or "")
    return Target(
        settings.PUBLIC_URL_SCHEME,
        domain,
        int(port) if port and port not in ("80", "443") else None,
        domain,
    )


def _reason(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"Quá thời gian chờ ({timeout:g} giây)"
    if isinstance(exc, ConnectionRefusedError):
        return "Máy chủ từ chối kết nối (connection refused)"
    if isinstance(exc, ConnectionResetError):
        return "Kết nối bị ngắt (connection reset)"
    if isinstance(exc, socket.gaierror):
        return "Không phân giải được tên miền"
    if isinstance(exc, ssl.SSLError):
        return f"Lỗi TLS/chứng chỉ: {exc}"[:200]
    return f"{type(exc).__name__}: {exc}"[:200]


def fetch(target: Target, timeout: float | None = None) -> ProbeResult:
    """GET ``/`` of ``target``; success is status 200 with the whole body within ``timeout``.

    Redirects are not followed (a site's primary domain answers its home page itself).
    With an ``https`` ``PROBE_BASE_URL``, the certificate is checked against that address's
    host, not the site's domain: point it at a plain-HTTP internal address, or leave it empty.
    """
    timeout = float(timeout or settings.PROBE_TIMEOUT_SECONDS)
    at = timezone.now()
    started = time.perf_counter()
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    try:
        conn.request(
            "GET",
            "/",
            headers={
                "Host": target.host_header,
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml",
                "Accept-Language": "vi-VN,vi;q=0.9",
            },
        )
        response = conn.getresponse()
        # The whole page must arrive within the timeout, not merely each read.
        while response.read(64 * 1024):
            if time.perf_counter() - started > timeout:
                raise TimeoutError
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return ProbeResult(False, None, _reason(exc, timeout), at)
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    elapsed_ms = max(1, round(elapsed * 1000))
    if status != 200:
        return ProbeResult(False, elapsed_ms, f"HTTP {status} {response.reason}".strip(), at)
    if elapsed > timeout:
        return ProbeResult(False, elapsed_ms, f"Quá thời gian chờ ({timeout:g} giây)", at)
    return ProbeResult(True, elapsed_ms, "", at)


def record(tenant_id: int, result: ProbeResult) -> None:
    """Add one check to the site's row of the day, atomically.

    One ``INSERT … ON CONFLICT DO UPDATE`` that increments the counters and appends to the
    arrays in the database: concurrent checks of one site never lose each other's update.
    Timings are kept up to one per scheduled check of the day, failures up to
    ``MAX_FAILURES_PER_DAY`` (both still counted in ``checks``).
    """
    at = timezone.localtime(result.at or timezone.now())
    timings = [result.elapsed_ms] if result.ok and result.elapsed_ms is not None else []
    failures = [] if result.ok else [{"time": at.strftime("%H:%M"), "reason": result.reason}]
    table = SiteProbe._meta.db_table
    sql = (
        f"INSERT INTO public.{table} AS probe "  # noqa: S608 - fixed names
        "(tenant_id, day, checks, successes, timings_ms, failures) "
        "VALUES (%s, %s, 1, %s, %s, %s) "
        "ON CONFLICT (tenant_id, day) DO UPDATE SET "
        "checks = probe.checks + 1, "
        "successes = probe.successes + EXCLUDED.successes, "
        "timings_ms = CASE WHEN jsonb_array_length(probe.timings_ms) < %s "
        "THEN probe.timings_ms || EXCLUDED.timings_ms ELSE probe.timings_ms END, "
        "failures = CASE WHEN jsonb_array_length(probe.failures) < %s "
        "THEN probe.failures || EXCLUDED.failures ELSE probe.failures END"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                tenant_id,
                at.date(),
                1 if result.ok else 0,
                Json(timings),
                Json(failures),
                max_timings_per_day(),
                MAX_FAILURES_PER_DAY,
            ],
        )
