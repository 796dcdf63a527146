"""Benchmark: the hostile-input walk of a site; prints requests tried and how many were 5xx.

The walk of ``tests/security/test_hostile_input.py`` (``tests.security.walk``): every URL of
the tenant URLconf, one page of every page type with its routable sub-URLs, the POST forms
they show, with NUL bytes, broken UTF-8, 10 KB values, arrays, negative and huge numbers,
SQL and HTML metacharacters.

    python bench/hostile_input.py                     # scratch database, Django's test client
    python bench/hostile_input.py --server http://127.0.0.1:8000 --host doclap.hoabinh.localhost

Against a running server (``make run``) the URLs come from the same discovery, run in this
process on the server's database (``DATABASE_URL``, settings ``portal.settings.dev``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scratch  # noqa: E402

scratch.SCRATCH_DB = "portal_bench_hostile"  # apart from the other benchmarks' database
# Refusals as production serves them (DEBUG's technical 404 page is English).
os.environ.setdefault("DEBUG", "0")


def http_fetch(base: str, host: str):
    parts = urlsplit(base)

    def fetch(method: str, url: str, data: dict | None = None):
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        headers = {"Host": host, "User-Agent": "Mozilla/5.0 (bench hostile input)"}
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, url, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            return response.status, response.getheader("Content-Type", ""), content
        except (OSError, http.client.HTTPException):
            return 599, "", b""
        finally:
            connection.close()

    return fetch


def discover(tenant) -> list[str]:
    from django.db import connection
    from django_tenants.utils import schema_context

    from portal import urls_tenant
    from tests.security import walk

    with schema_context(tenant.schema_name):
        paths = set(walk.page_paths(per_type=1)) | set(walk.urlconf_paths(urls_tenant.urlpatterns))
    connection.set_schema_to_public()
    return sorted(paths)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", help="base URL of a running server (default: test client)")
    parser.add_argument("--host", help="the site's domain (with --server)")
    args = parser.parse_args()

    if args.server:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
        import django

        django.setup()
        from tenants.models import Domain

        tenant = Domain.objects.select_related("tenant").get(domain=args.host).tenant
        fetch = http_fetch(args.server, args.host)
        url = None
    else:
        url = scratch.setup_scratch_platform()
        from django.test import Client

        from component_sites.core.demo import build_demo_content
        from tenants.provisioning import provision_site
        from tenants.specs import SiteSpec

        for spec in (
            SiteSpec(name="Tỉnh Hoà Bình", level="province", code="17", domain="hb.hostile"),
            SiteSpec(
                name="Xã Độc Lập",
                level="commune",
                code="04921",
                parent_code="17",
                domain="dl.hb.hostile",
            ),
        ):
            spec.admin_username, spec.admin_password = "quantri", ""
            tenant = provision_site(spec, send_invitation=False).tenant
        build_demo_content(tenant)
        from tests.security import walk

        fetch = walk.client_fetch(
            Client(
                HTTP_HOST="dl.hb.hostile",
                HTTP_USER_AGENT="Mozilla/5.0 (bench)",
                raise_request_exception=False,
            )
        )
    from tests.security import walk

    try:
        paths = discover(tenant)
        report = walk.Report()
        started = time.perf_counter()
        walk.walk_gets(fetch, paths, report)
        forms = walk.walk_forms(fetch, paths, report)
        seconds = time.perf_counter() - started
        statuses: dict[int, int] = {}
        for outcome in report.outcomes:
            statuses[outcome.status // 100] = statuses.get(outcome.status // 100, 0) + 1
        print(f"site: {tenant.name} ({'server ' + args.server if args.server else 'test client'})")
        print(f"URLs walked: {len(paths)}, POST forms: {forms}")
        print(f"hostile requests tried: {report.tried} in {seconds:.0f} s")
        print("by class: " + ", ".join(f"{k}xx {v}" for k, v in sorted(statuses.items())))
        print(f"5xx: {len(report.server_errors)}")
        print(
            f"4xx without a Vietnamese message: {len(report.problems) - len(report.server_errors)}"
        )
        for outcome in report.problems[:20]:
            print(f"  {outcome.method} {outcome.url[:120]} → {outcome.status} {outcome.problem}")
        return 1 if report.problems else 0
    finally:
        if url:
            scratch.drop_scratch(url)


if __name__ == "__main__":
    raise SystemExit(main())
