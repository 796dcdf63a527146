"""Benchmark: provisioning a commune site by cloning its template vs. migrating a fresh schema.

Runs both ways interleaved in one process against a scratch database on the
server of DATABASE_URL (default: local PostgreSQL), so that machine noise hits
both sides alike.  Each run ends in the same state: a schema with every
migration, a home page, a Wagtail Site row on the site's domain and an admin.

    python bench/provisioning.py [--runs 5]
    python bench/provisioning.py --pool [--rounds 10] [--procedures 2000] [--load 0,2]

``--pool``: request-visible time of a site from the pool (a ready clone renamed and
configured) vs. one cloned while the caller waits, interleaved, ``--rounds`` of each per
phase; one phase per ``--load`` figure, with that many busy-loop processes (``python -c
'while 1: pass'``, nice 0) running through it.  The catalogue holds ``--procedures``
province-wide commune procedures, synced into the template first (as fan-outs do).  The
worker's part (``tenants.site_setup.finish``) is timed apart, outside the request, and
each new site's home page must answer 200 right after its provisioning returned.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import drop_scratch, setup_scratch_platform  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each method (default 5)")
    parser.add_argument("--pool", action="store_true", help="pool vs. clone (request time)")
    parser.add_argument("--rounds", type=int, default=10, help="--pool: rounds per phase")
    parser.add_argument("--procedures", type=int, default=2000, help="--pool: catalogue size")
    parser.add_argument("--load", default="0,2", help="--pool: busy loops per phase")
    args = parser.parse_args()

    if args.pool:
        from provisioning_pool import run_pool_bench

        return run_pool_bench(args.rounds, args.procedures, [int(n) for n in args.load.split(",")])
    url = setup_scratch_platform()
    from django.core.management import call_command
    from django.db import connection

    from tenants.models import Domain, Tenant
    from tenants.provisioning import _configure_site_schema, provision_site
    from tenants.site_templates import seed_template
    from tenants.specs import SiteSpec

    # Admins get no password here (as with a one-time link): a PBKDF2 hash costs about
    # 1.4 s on this machine and would hide the difference being measured.
    provision_site(
        SiteSpec("Tỉnh Thử", "province", "99", "thu.bench.localhost", admin_password="x")
    )

    def by_clone(i: int) -> None:
        provision_site(
            SiteSpec(
                f"Xã Clone {i}",
                "commune",
                f"{90000 + i}",
                f"clone{i}.bench.localhost",
                parent_code="99",
                admin_password="",
            )
        )

    def by_migrate(i: int) -> None:
        code = f"{80000 + i}"
        tenant = Tenant(
            name=f"Xã Migrate {i}",
            level="commune",
            code=code,
            schema_name=f"m_{code}",
            parent=Tenant.objects.get(code="99"),
        )
        tenant.save()
        Domain.objects.create(domain=f"migrate{i}.bench.localhost", tenant=tenant)
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "m_{code}"')
        call_command("migrate_schemas", schema_name=f"m_{code}", interactive=False, verbosity=0)
        seed_template(f"m_{code}", "commune")
        _configure_site_schema(tenant, f"migrate{i}.bench.localhost", "quantri", "", "")
        connection.set_schema_to_public()

    clone_times: list[float] = []
    migrate_times: list[float] = []
    from tenants.catalog_statistics import analyze_catalogs

    for i in range(args.runs):
        if i and i % 5 == 0:
            # As bulk provisioning does (every 10 new schemas; here 2 per run), outside the
            # timings: keeps the catalogs' statistics fresh for both methods alike.
            analyze_catalogs()
        for method, bucket in ((by_clone, clone_times), (by_migrate, migrate_times)):
            started = time.perf_counter()
            method(i)
            bucket.append(time.perf_counter() - started)
        print(
            f"run {i + 1}/{args.runs}: clone {clone_times[-1]:.2f}s, "
            f"migrate {migrate_times[-1]:.2f}s",
            flush=True,
        )

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clone_median = statistics.median(clone_times)
    migrate_median = statistics.median(migrate_times)
    print()
    print("| method | runs | median (s) | min (s) | max (s) |")
    print("|---|---|---|---|---|")
    for name, times in (("clone template", clone_times), ("migrate fresh schema", migrate_times)):
        print(
            f"| {name} | {len(times)} | {statistics.median(times):.2f} "
            f"| {min(times):.2f} | {max(times):.2f} |"
        )
    print(f"\nratio migrate/clone (medians): {migrate_median / clone_median:.1f}x")
    print(f"peak RSS of the benchmark process: {peak_mb:.0f} MiB")
    drop_scratch(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
