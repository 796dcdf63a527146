"""Benchmark: a thousand sites on one install.

In a scratch database (``BENCH_SCRATCH_DB``, default ``portal_bench_scale``) on the server of
DATABASE_URL, provisions N commune sites one after the other (default 1,000) and reports:

- request-visible provisioning time, pool (a ready clone renamed) vs. clone, interleaved in the
  same run, at the start and again at the end;
- per-site provisioning time (clone) around 10, 100, 500 and 1,000 sites, total time, database
  size, catalog size and relation count;
- p50/p99 of a cached and an uncached commune home page at the start (one commune) and at N;
- RSS of a gunicorn web worker and of a Celery worker after each touched 100 different sites;
- ``migrate_schemas`` over every site (django-tenants' multiprocessing executor) with nothing to
  apply, then with one real migration adding a column to a site table;
- a per-site backup and restore round trip (``pg_dump -n`` through ``tenants.backup``).

Results are printed and written to ``--output`` (JSON) as each phase ends, so a run stopped by
``--max-minutes`` still leaves what it measured.

    python bench/scale.py [--sites 1000] [--max-minutes 60] [--output var/bench-scale.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_SCRATCH_DB", "portal_bench_scale")
# The bulk sites are cloned while the bench waits; the pool is filled explicitly where measured
# (and no refill task piles up in the broker for the worker started later).
for _level in ("PROVINCE", "DISTRICT", "COMMUNE"):
    os.environ[f"SITE_SCHEMA_POOL_{_level}"] = "0"

from scratch import ROOT, drop_scratch, setup_scratch_platform  # noqa: E402

CHECKPOINTS = (10, 100, 500, 1000)
WINDOW = 10  # per-site time at a checkpoint: mean of the WINDOW sites before it
RESULTS: dict = {}


def save(output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(RESULTS, indent=2, ensure_ascii=False))


def machine_load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def db_figures() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_database_size(current_database()), "
            "(SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            " JOIN pg_namespace n ON n.oid = c.relnamespace "
            " WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'), "
            "(SELECT count(*) FROM pg_class), "
            "(SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'c\\_%%')"
        )
        db, catalog, relations, schemas = cursor.fetchone()
    return {
        "database_mib": round(db / 2**20),
        "catalog_mib": round(catalog / 2**20),
        "relations": relations,
        "site_schemas": schemas,
    }


def commune_spec(index: int):
    from tenants.specs import SiteSpec

    code = f"{90000 + index:05d}"
    spec = SiteSpec(
        name=f"Xã Thử Nghiệm {index}",
        level="commune",
        code=code,
        parent_code="99",
        domain=f"x{code}.scale.bench",
    )
    spec.admin_username, spec.admin_password = "quantri", ""
    return spec


def pool_vs_clone(next_index: int, rounds: int) -> tuple[dict, int]:
    """``rounds`` sites from a filled pool and ``rounds`` cloned, interleaved."""
    from django.test import override_settings

    from tenants.models import PooledSchema
    from tenants.provisioning import provision_site
    from tenants.schema_pool import refill_pool

    pool_times, clone_times = [], []
    with override_settings(SITE_SCHEMA_POOL_SIZE={"commune": rounds}):
        refill_pool(levels=["commune"], report=lambda _m: None)  # outside the timings
    for _ in range(rounds):
        with override_settings(SITE_SCHEMA_POOL_SIZE={"commune": 0}):
            start = time.perf_counter()
            made = provision_site(commune_spec(next_index), send_invitation=False)
            pool_times.append(time.perf_counter() - start)
            assert made.from_pool
            next_index += 1
            # A clone, exactly as before the pool: hide the ready schemas for this one.
            hidden = list(PooledSchema.objects.values_list("pk", "fingerprint"))
            PooledSchema.objects.update(fingerprint="hidden")
            start = time.perf_counter()
            made = provision_site(commune_spec(next_index), send_invitation=False)
            clone_times.append(time.perf_counter() - start)
            for pk, fingerprint in hidden:
                PooledSchema.objects.filter(pk=pk).update(fingerprint=fingerprint)
            assert not made.from_pool
            next_index += 1
    result = {
        "rounds": rounds,
        "pool_median_s": round(statistics.median(pool_times), 3),
        "pool_max_s": round(max(pool_times), 3),
        "clone_median_s": round(statistics.median(clone_times), 3),
        "clone_max_s": round(max(clone_times), 3),
        "ratio": round(statistics.median(clone_times) / statistics.median(pool_times), 1),
    }
    return result, next_index


def page_timings(host: str, runs: int) -> dict:
    """p50/p99 of the home page from the page cache and rendered (cache emptied first)."""
    from django.core.cache import cache
    from django.test import Client

    client = Client(HTTP_HOST=host, HTTP_USER_AGENT="Mozilla/5.0 (bench)")
    assert client.get("/").status_code == 200
    cold, warm = [], []
    for _ in range(runs):
        cache.clear()
        start = time.perf_counter()
        response = client.get("/")
        cold.append(time.perf_counter() - start)
        assert response.status_code == 200
        start = time.perf_counter()
        response = client.get("/")
        warm.append(time.perf_counter() - start)
        assert response.status_code == 200
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    return {
        "runs": runs,
        "uncached_p50_ms": ms(percentile(cold, 50)),
        "uncached_p99_ms": ms(percentile(cold, 99)),
        "cached_p50_ms": ms(percentile(warm, 50)),
        "cached_p99_ms": ms(percentile(warm, 99)),
    }


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def rss_after_100_sites(hosts: list[str], tenant_ids: list[int], port: int) -> dict:
    """Start a gunicorn web worker and a Celery worker, touch 100 sites with each, read RSS."""
    import urllib.request

    env = dict(os.environ, PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}")
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--threads", "1", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    result: dict = {}
    try:
        import urllib.error

        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # answering (503: no worker/beat in this bench), so up
            except OSError:
                time.sleep(0.1)
        worker_pid = children(web.pid)[0]

        def get(host: str) -> int:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": host})
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - http
                return response.status

        get(hosts[0])
        result["web_rss_first_site_mib"] = rss_mib(worker_pid)
        statuses = [get(host) for host in hosts[:100]]
        result["web_rss_after_100_sites_mib"] = rss_mib(worker_pid)
        result["web_statuses_ok"] = statuses.count(200)
    finally:
        web.terminate()
        web.wait(30)

    from tenants.models import SiteStats

    SiteStats.objects.all().delete()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        from celery import current_app

        def wait_for(count: int) -> None:
            deadline = time.monotonic() + 600
            while SiteStats.objects.count() < count:
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the Celery worker stopped or did not finish the tasks")
                time.sleep(0.2)

        current_app.send_task("tasks.metrics.refresh_site_stats", args=[tenant_ids[0]])
        wait_for(1)
        result["worker_rss_first_site_mib"] = rss_mib(worker.pid)
        for tenant_id in tenant_ids[1:100]:
            current_app.send_task("tasks.metrics.refresh_site_stats", args=[tenant_id])
        wait_for(min(100, len(tenant_ids)))
        result["worker_rss_after_100_sites_mib"] = rss_mib(worker.pid)
    finally:
        worker.terminate()
        worker.wait(60)
    return result


def migrate_all(processes: int) -> float:
    from django.core.management import call_command
    from django.test import override_settings

    start = time.perf_counter()
    with override_settings(TENANT_MULTIPROCESSING_MAX_PROCESSES=processes):
        call_command(
            "migrate_schemas", tenant=True, executor="multiprocessing",
            interactive=False, verbosity=0,
        )  # fmt: skip
    return round(time.perf_counter() - start, 1)


def one_real_migration(processes: int) -> dict:
    """Add a migration that adds a column to a site table, apply it to every site, remove it."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from tenants.models import Tenant

    app = "notices"
    loader = MigrationLoader(connection)
    leaf = max(name for (label, name) in loader.graph.leaf_nodes() if label == app)
    folder = ROOT / "component_sites" / "notices" / "migrations"
    path = folder / "9999_bench_added_column.py"
    path.write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [({app!r}, {leaf!r})]\n"
        "    operations = [migrations.RunSQL(\n"
        "        'ALTER TABLE notices_urgentnotice ADD COLUMN bench_probe integer',\n"
        "        'ALTER TABLE notices_urgentnotice DROP COLUMN bench_probe')]\n"
    )
    try:
        seconds = migrate_all(processes)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = 'notices_urgentnotice' AND column_name = 'bench_probe'"
            )
            applied = cursor.fetchone()[0]
    finally:
        path.unlink()
    return {
        "seconds": seconds,
        "schemas_with_column": applied,
        "sites": Tenant.objects.count(),
    }


def backup_round_trip(tenant) -> dict:
    from tenants.backup import backup_site, restore_site

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        made = backup_site(tenant, folder)
        backup_s = time.perf_counter() - start
        size = Path(made.path).stat().st_size
        start = time.perf_counter()
        restore_site(tenant, made.path)
        restore_s = time.perf_counter() - start
    return {
        "backup_s": round(backup_s, 2),
        "restore_s": round(restore_s, 2),
        "archive_kib": round(size / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--max-minutes", type=float, default=90, help="stop provisioning then")
    parser.add_argument("--pool-rounds", type=int, default=5)
    parser.add_argument("--page-runs", type=int, default=100)
    parser.add_argument("--processes", type=int, default=2, help="migrate_schemas processes")
    parser.add_argument("--port", type=int, default=8169)
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "bench-scale.json")
    parser.add_argument("--keep", action="store_true", help="leave the scratch database")
    args = parser.parse_args()

    RESULTS.update(started=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    RESULTS["load_at_start"] = machine_load()
    t0 = time.perf_counter()
    url = setup_scratch_platform()
    from django.db import connection

    from component_sites.core.demo import build_demo_content
    from tenants.catalog import analyze_catalogs
    from tenants.models import Tenant
    from tenants.provisioning import ProvisioningError, provision_site
    from tenants.specs import SiteSpec

    RESULTS["setup_s"] = round(time.perf_counter() - t0, 1)
    try:
        province = SiteSpec(name="Tỉnh Thử Nghiệm", level="province", code="99",
                            domain="scale.bench")  # fmt: skip
        province.admin_username, province.admin_password = "quantri", ""
        provision_site(province, send_invitation=False)
        # The measured commune carries the demo content (articles, documents, media…).
        first = provision_site(commune_spec(0), send_invitation=False).tenant
        build_demo_content(first)
        connection.set_schema_to_public()
        page_host = "x90000.scale.bench"
        analyze_catalogs()
        sites_now = Tenant.objects.filter(level="commune").count()
        RESULTS["pages_at_start"] = {"sites": sites_now, **page_timings(page_host, args.page_runs)}
        print("pages at start:", RESULTS["pages_at_start"], flush=True)
        RESULTS["pool_vs_clone_start"], index = pool_vs_clone(1, args.pool_rounds)
        print("pool vs clone (start):", RESULTS["pool_vs_clone_start"], flush=True)
        save(args.output)

        per_site: list[float] = []
        deadline = time.monotonic() + args.max_minutes * 60
        bulk_start = time.perf_counter()
        RESULTS["checkpoints"] = {}
        while Tenant.objects.filter(level="commune").count() < args.sites:
            if time.monotonic() > deadline:
                RESULTS["stopped_early"] = True
                break
            start = time.perf_counter()
            try:
                provision_site(commune_spec(index), send_invitation=False)
            except ProvisioningError as error:
                # A shared server can run out of lock slots while others clone too: count it,
                # the next attempt takes a new code.
                RESULTS["failed"] = RESULTS.get("failed", 0) + 1
                print("failed:", str(error)[:200], flush=True)
                index += 1
                continue
            per_site.append(time.perf_counter() - start)
            index += 1
            count = Tenant.objects.filter(level="commune").count()
            if count % 10 == 0:
                analyze_catalogs()  # as bulk provisioning does (tenants.catalog)
            # The sites of the pool comparison came first: a checkpoint is the first count
            # at or past it.
            reached = [c for c in CHECKPOINTS if c <= count and c not in RESULTS["checkpoints"]]
            if reached:
                count = reached[-1]
                RESULTS["checkpoints"][count] = {
                    "per_site_s": round(statistics.mean(per_site[-WINDOW:]), 2),
                    "elapsed_s": round(time.perf_counter() - bulk_start, 1),
                    "load": machine_load(),
                    **db_figures(),
                }
                print(count, RESULTS["checkpoints"][count], flush=True)
                save(args.output)
            elif count % 50 == 0:
                print(f"  {count} sites, {time.perf_counter() - bulk_start:.0f}s", flush=True)
        sites = Tenant.objects.filter(level="commune").count()
        RESULTS["sites"] = sites
        RESULTS["bulk_total_s"] = round(time.perf_counter() - bulk_start, 1)
        RESULTS["bulk_per_site_mean_s"] = round(statistics.mean(per_site), 2) if per_site else None
        RESULTS["final"] = {"load": machine_load(), **db_figures()}
        analyze_catalogs()
        RESULTS[f"pages_at_{sites}"] = page_timings(page_host, args.page_runs)
        print(f"pages at {sites}:", RESULTS[f"pages_at_{sites}"], flush=True)
        RESULTS["pool_vs_clone_end"], index = pool_vs_clone(index, args.pool_rounds)
        print("pool vs clone (end):", RESULTS["pool_vs_clone_end"], flush=True)
        save(args.output)

        communes = list(Tenant.objects.filter(level="commune").order_by("pk"))
        hosts = [t.primary_domain for t in communes]
        RESULTS["rss"] = rss_after_100_sites(hosts, [t.pk for t in communes], args.port)
        print("rss:", RESULTS["rss"], flush=True)
        save(args.output)

        RESULTS["migrate_nothing_s"] = migrate_all(args.processes)
        print("migrate_schemas, nothing to apply:", RESULTS["migrate_nothing_s"], flush=True)
        save(args.output)
        RESULTS["migrate_one_column"] = one_real_migration(args.processes)
        print("migrate_schemas, one column:", RESULTS["migrate_one_column"], flush=True)
        save(args.output)

        RESULTS["backup_round_trip"] = backup_round_trip(first)
        print("backup round trip:", RESULTS["backup_round_trip"], flush=True)
        RESULTS["load_at_end"] = machine_load()
        save(args.output)
    finally:
        save(args.output)
        if not args.keep:
            drop_scratch(url)
    print(json.dumps(RESULTS, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
