"""Benchmark: public pages of a demo commune, rendered from the database vs. from the cache.

Provisions one commune with the full demo content in a scratch database, then requests
the home page, a news category, an article and the document list through Django's test
client, alternating a cold request (page cache emptied) and a warm one, so that machine
noise hits both alike.  Reports the median time and SQL query count of each.

    python bench/pages.py [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import drop_scratch, setup_scratch_platform  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="requests of each kind (default 30)")
    args = parser.parse_args()

    url = setup_scratch_platform()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from component_sites.core.demo import build_demo_content
    from component_sites.news.models import ArticlePage, NewsCategoryPage
    from tenants.provisioning import provision_site
    from tenants.specs import SiteSpec

    try:
        for spec in (
            SiteSpec(name="Tỉnh Hoà Bình", level="province", code="17", domain="hb.bench"),
            SiteSpec(
                name="Xã Nhuận Trạch",
                level="commune",
                code="04954",
                parent_code="17",
                domain="nt.hb.bench",
            ),
        ):
            spec.admin_username, spec.admin_password = "quantri", ""
            tenant = provision_site(spec, send_invitation=False).tenant
        build_demo_content(tenant)
        with schema_context(tenant.schema_name):
            category = NewsCategoryPage.objects.live().first()
            article = ArticlePage.objects.live().order_by("-publication_date").first()
            paths = {
                "home": "/",
                "news category": category.url,
                "article": article.url,
                "document list": "/van-ban/",
            }
        connection.set_schema_to_public()
        client = Client(HTTP_HOST="nt.hb.bench", HTTP_USER_AGENT="Mozilla/5.0 (bench)")
        for path in paths.values():
            assert client.get(path).status_code == 200, path  # renditions made once

        print(
            f"{'page':<15} {'cold ms':>9} {'warm ms':>9} {'ratio':>7} {'SQL cold':>9} "
            f"{'SQL warm':>9}"
        )
        for name, path in paths.items():
            cold, warm, cold_sql, warm_sql = [], [], [], []
            for _ in range(args.runs):
                cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(path)
                    cold.append(time.perf_counter() - start)
                assert response["X-Cache"] == "MISS"
                cold_sql.append(len(captured.captured_queries))
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(path)
                    warm.append(time.perf_counter() - start)
                assert response["X-Cache"] == "HIT"
                warm_sql.append(len(captured.captured_queries))
            c, w = statistics.median(cold) * 1000, statistics.median(warm) * 1000
            print(
                f"{name:<15} {c:9.1f} {w:9.1f} {c / w:6.1f}x {statistics.median(cold_sql):9.0f} "
                f"{statistics.median(warm_sql):9.0f}"
            )
    finally:
        drop_scratch(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
