"""The platform's checks of each site's home page, over real HTTP, recorded per day."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
from django.db import connection
from django.utils import timezone

from portal.celery_app import app
from tasks.scoring import probe_all_sites, probe_site
from tenants.scoring import probes
from tenants.scoring.models import SiteProbe
from tests.committed import committed

pytestmark = pytest.mark.django_db


def today_row(tenant):
    return SiteProbe.objects.get(tenant=tenant, day=timezone.localdate())


def free_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_live_site_is_recorded_with_its_timing(sites, live_site_port, settings):
    settings.PROBE_BASE_URL = f"http://127.0.0.1:{live_site_port}"

    outcome = probe_site(sites.commune.pk)

    assert outcome["ok"], outcome
    row = today_row(sites.commune)
    assert (row.checks, row.successes, row.failures) == (1, 1, [])
    assert len(row.timings_ms) == 1
    assert isinstance(row.timings_ms[0], int) and row.timings_ms[0] > 0

    probe_site(sites.commune.pk)
    row = today_row(sites.commune)
    assert (row.checks, row.successes, len(row.timings_ms)) == (2, 2, 2)


def test_the_check_reaches_the_site_by_its_domain(sites, live_site_port):
    base = ("http", "127.0.0.1", live_site_port)
    home = probes.fetch(probes.Target(*base, sites.commune.primary_domain))
    assert home.ok
    unknown = probes.fetch(probes.Target(*base, "khongco.hoabinh.test.localhost"))
    assert not unknown.ok
    assert unknown.reason.startswith("HTTP 404")


def test_a_refused_connection_is_recorded_as_a_failure(sites, settings):
    settings.PROBE_BASE_URL = f"http://127.0.0.1:{free_port()}"

    outcome = probe_site(sites.commune.pk)

    assert not outcome["ok"]
    row = today_row(sites.commune)
    assert (row.checks, row.successes, row.timings_ms) == (1, 0, [])
    (failure,) = row.failures
    assert "từ chối kết nối" in failure["reason"]
    assert dt.datetime.strptime(failure["time"], "%H:%M")


def test_a_site_that_does_not_answer_in_time_is_a_failure(sites, settings):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.PROBE_BASE_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"
        settings.PROBE_TIMEOUT_SECONDS = 0.5
        outcome = probe_site(sites.commune.pk)
    assert not outcome["ok"]
    assert today_row(sites.commune).failures[0]["reason"] == "Quá thời gian chờ (0.5 giây)"


def test_without_a_probe_address_the_public_url_is_used(sites, settings):
    settings.PROBE_BASE_URL = ""
    settings.PUBLIC_URL_SCHEME = "https"
    settings.PUBLIC_URL_PORT = "8443"
    target = probes.target_for(sites.commune)
    assert target.url == "https://nhuantrach.hoabinh.test.localhost:8443/"
    assert target.host_header == "nhuantrach.hoabinh.test.localhost"
    settings.PROBE_BASE_URL = "http://127.0.0.1:8000"
    target = probes.target_for(sites.commune)
    assert (target.url, target.host_header) == (
        "http://127.0.0.1:8000/",
        "nhuantrach.hoabinh.test.localhost",
    )


def test_every_active_site_is_probed(sites, live_site_port, settings):
    from tenants.models import Tenant

    settings.PROBE_BASE_URL = f"http://127.0.0.1:{live_site_port}"
    Tenant.objects.filter(pk=sites.direct_commune.pk).update(status=Tenant.Status.SUSPENDED)
    app.conf.task_always_eager = True
    try:
        assert probe_all_sites.delay().get() == 3
    finally:
        app.conf.task_always_eager = False
    rows = SiteProbe.objects.filter(day=timezone.localdate())
    assert {r.tenant_id: (r.checks, r.successes) for r in rows} == {
        sites.province.pk: (1, 1),
        sites.district.pk: (1, 1),
        sites.commune.pk: (1, 1),
    }


def test_a_day_keeps_a_bounded_record(sites, settings):
    settings.SITE_PROBE_INTERVAL_SECONDS = 3600  # 24 timings a day at most
    at = timezone.now()
    for _ in range(26):
        probes.record(sites.commune.pk, probes.ProbeResult(True, 120, "", at))
    for _ in range(probes.MAX_FAILURES_PER_DAY + 3):
        probes.record(sites.commune.pk, probes.ProbeResult(False, None, "HTTP 502", at))
    row = SiteProbe.objects.get(tenant=sites.commune, day=timezone.localdate(at))
    assert (row.checks, row.successes) == (26 + probes.MAX_FAILURES_PER_DAY + 3, 26)
    assert len(row.timings_ms) == 24
    assert len(row.failures) == probes.MAX_FAILURES_PER_DAY


def test_concurrent_checks_lose_no_update(sites):
    """Checks of one site recorded at once, each on its own connection, all add up."""
    at = timezone.make_aware(dt.datetime(2001, 1, 1, 9, 0))  # a day no other test uses
    tenant_id = sites.direct_commune.pk
    start = threading.Barrier(6)
    errors = []

    def check(ok):
        def run():
            try:
                start.wait(timeout=30)
                probes.record(tenant_id, probes.ProbeResult(ok, 100 if ok else None, "x", at))
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=check(n % 2 == 0)) for n in range(6)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        row = committed(lambda: SiteProbe.objects.get(tenant_id=tenant_id, day=dt.date(2001, 1, 1)))
        assert (row.checks, row.successes, len(row.timings_ms), len(row.failures)) == (6, 3, 3, 3)
    finally:
        committed(lambda: SiteProbe.objects.filter(day=dt.date(2001, 1, 1)).delete())
