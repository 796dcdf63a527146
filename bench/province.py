"""Benchmark: provisioning a whole province of about 170 sites from the official units.

Default: Tỉnh Thanh Hóa in the two-level set (1 province + 166 communes = 167 sites), in a
scratch database on the server of DATABASE_URL.  Reports total time, sites per minute and
the peak memory of this process (the provisioning threads run inside it).

    python bench/province.py [--code 38] [--model two-level] [--workers 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import drop_scratch, setup_scratch_platform  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default="38")
    parser.add_argument("--model", default="two-level")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    started = time.perf_counter()
    url = setup_scratch_platform()
    setup = time.perf_counter() - started
    from django.db import connection

    from tenants.province import provision_province

    def progress(outcome, done, total):
        if done % 20 == 0 or done == total:
            print(f"  {done}/{total} ({time.perf_counter() - t0:.0f}s)", flush=True)

    t0 = time.perf_counter()
    report = provision_province(
        args.code, args.model, "bench.localhost", workers=args.workers, progress=progress
    )
    total = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        db_mb = cursor.fetchone()[0] / 1024 / 1024
    sites = report.count("created")
    print()
    print(f"province {report.province.name} ({args.model}), workers={args.workers}")
    print(f"setup (public schema + 3 templates): {setup:.1f}s")
    print(
        f"sites created: {sites}, failed: {report.count('failed')}, "
        f"total {total:.1f}s, {total / max(sites, 1):.2f}s/site, "
        f"{sites / total * 60:.0f} sites/min"
    )
    print(f"peak RSS of the provisioning process: {peak_mb:.0f} MiB; database size {db_mb:.0f} MiB")
    drop_scratch(url)
    return 0 if not report.count("failed") else 1


if __name__ == "__main__":
    sys.exit(main())
