"""Benchmark: a thousand sites on one install.

In a scratch database (``BENCH_SCRATCH_DB``, default ``portal_bench_scale``) on the server of
DATABASE_URL, provisions N commune sites (default 1,000) with ``--jobs`` processes calling the
platform's ``provision_site`` side by side, and reports:

- the template copy (``tenants.schema_copy``) vs. django-tenants' ``clone_schema`` at each mark,
  interleaved, and the one read of the template's definition (``pg_dump``);
- per-site provisioning time (copy of the template) as the run passes 10, 100, 500 and 1,000
  sites (latency of one call, and wall time per site with the jobs together), total time,
  database size, catalog size and relation count at each mark;
- p50/p99 of a cached and an uncached commune home page at each mark (provisioning paused);
- request-visible provisioning time, pool (a ready copy renamed) vs. a copy made meanwhile,
  interleaved in the same run, at 10 sites and again at the end;
- RSS of a gunicorn web worker and of a Celery worker after each touched 100 different sites;
- ``migrate_schemas`` over every site (django-tenants' multiprocessing executor) with nothing to
  apply, then with one real migration adding a column to a site table, timed schema by schema
  (``--migrate-max-minutes`` stops one with the rate it reached); then the same two with the
  platform's executor (``--executor=sites``, tenants/site_migrations.py);
- a per-site backup and restore round trip (``pg_dump -n`` through ``tenants.backup``);
- the lock-table size a whole-database ``pg_dump`` would need (computed, not run: on a shared
  server it would take the lock slots every other session needs).

Every phase writes its figures to ``--output`` (JSON) as soon as it has them.  ``--resume``
continues a stopped run on the scratch database it left (``--keep`` leaves it; a run stopped
by a signal leaves it too): phases already in the JSON are not measured again and the bulk
continues from the sites there are.  ``--drop`` removes the scratch database at the end.

    nice -n 19 python bench/scale.py [--sites 1000] [--jobs 2] [--max-minutes 60] [--resume]

``--pg-nice 19`` (default) gives the PostgreSQL backends that serve the bench the same
niceness (the machine is shared; the work of a clone is done by the server, not by Python).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import queue as queue_module
import signal
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

from scratch import (  # noqa: E402
    ROOT,
    attach_scratch_platform,
    drop_scratch,
    remove_database,
    setup_scratch_platform,
)

CHECKPOINTS = (10, 100, 500, 1000)
WINDOW = 10  # latency at a mark: mean of the WINDOW calls before it
ANALYZE_EVERY = 10  # as bulk provisioning does (tenants.catalog_statistics)
CODE_BASE = 90000
PAGE_HOST = "x90000.scale.bench"
RESULTS: dict = {}


def save(output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".tmp")
    tmp.write_text(json.dumps(RESULTS, indent=2, ensure_ascii=False))
    tmp.replace(output)


def machine_load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def renice_backend(niceness: int | None) -> None:
    """Give the PostgreSQL backend of this process's connection ``niceness`` (same machine)."""
    if niceness is None:
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with contextlib.suppress(OSError):  # another machine, or not allowed
        os.setpriority(os.PRIO_PROCESS, pid, niceness)


def db_figures() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_database_size(current_database()), "
            "(SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            " JOIN pg_namespace n ON n.oid = c.relnamespace "
            " WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'), "
            "(SELECT count(*) FROM pg_class), "
            "(SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p')), "
            "(SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'c\\_%%'), "
            "(SELECT pg_total_relation_size('pg_catalog.pg_attribute')), "
            "(SELECT pg_total_relation_size('pg_catalog.pg_depend'))"
        )
        db, catalog, relations, tables, schemas, attribute, depend = cursor.fetchone()
    return {
        "database_mib": round(db / 2**20),
        "catalog_mib": round(catalog / 2**20),
        "pg_attribute_mib": round(attribute / 2**20),
        "pg_depend_mib": round(depend / 2**20),
        "relations": relations,
        "tables": tables,
        "site_schemas": schemas,
    }


def server_settings() -> dict:
    from django.db import connection

    names = ["server_version", "max_locks_per_transaction", "max_connections",
             "max_prepared_transactions", "shared_buffers", "autovacuum"]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [names])
        return dict(cursor.fetchall())


def commune_count() -> int:
    from tenants.models import Tenant

    return Tenant.objects.filter(level="commune").count()


def next_commune_index() -> int:
    from tenants.models import Tenant

    codes = Tenant.objects.filter(level="commune").values_list("code", flat=True)
    return max((int(code) - CODE_BASE for code in codes), default=-1) + 1


def commune_spec(index: int):
    from tenants.specs import SiteSpec

    code = f"{CODE_BASE + index:05d}"
    spec = SiteSpec(
        name=f"Xã Thử Nghiệm {index}",
        level="commune",
        code=code,
        parent_code="99",
        domain=f"x{code}.scale.bench",
    )
    spec.admin_username, spec.admin_password = "quantri", ""
    return spec


def _provision_worker(first: int, step: int, stop, results, pg_nice: int | None) -> None:
    """A forked process: provision communes first, first + step, … until told to stop."""
    from tenants.provisioning import ProvisioningError, provision_site

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers
    renice_backend(pg_nice)
    index = first
    while not stop.value:
        start = time.perf_counter()
        try:
            provision_site(commune_spec(index), send_invitation=False)
            results.put((index, time.perf_counter() - start, None))
        except ProvisioningError as error:
            # A shared server can run out of lock slots while others clone too: counted,
            # the next attempt takes a new code.
            results.put((index, None, str(error)[:300]))
        index += step


class Bulk:
    """Provisioning with ``jobs`` processes, paused at each mark (pages are measured alone)."""

    def __init__(self, jobs: int, pg_nice: int | None, deadline: float, output: Path):
        self.jobs, self.pg_nice, self.deadline, self.output = jobs, pg_nice, deadline, output
        self.latencies: list[float] = []

    def run_to(self, target: int) -> dict | None:
        """Provision until there are ``target`` communes; the segment's figures (None: none)."""
        from django.db import connection

        from tenants.catalog_statistics import analyze_catalogs

        count = commune_count()
        if count >= target or time.monotonic() > self.deadline:
            return None
        first_index = next_commune_index()
        connection.close()  # never share the parent's socket with the forked workers
        context = multiprocessing.get_context("fork")
        stop, results = context.Value("b", 0), context.Queue()
        workers = [
            context.Process(
                target=_provision_worker,
                args=(first_index + k, self.jobs, stop, results, self.pg_nice),
                daemon=True,
            )
            for k in range(self.jobs)
        ]
        for worker in workers:
            worker.start()
        renice_backend(self.pg_nice)
        segment_start, start_count = time.perf_counter(), count
        latencies: list[float] = []
        failed: list[str] = []

        def take(item) -> None:
            nonlocal count
            _index, seconds, error = item
            if error:
                failed.append(error)
                print("failed:", error[:200], flush=True)
                return
            count += 1
            latencies.append(seconds)
            if count % ANALYZE_EVERY == 0:
                analyze_catalogs()
            if count % 50 == 0:
                print(f"  {count} communes, {time.perf_counter() - segment_start:.0f} s "
                      f"into this segment, load {machine_load()}", flush=True)  # fmt: skip

        try:
            while count < target and time.monotonic() < self.deadline:
                try:
                    take(results.get(timeout=5))
                except queue_module.Empty:
                    if not any(worker.is_alive() for worker in workers):
                        raise RuntimeError("every provisioning worker stopped") from None
        finally:
            stop.value = 1
            while any(worker.is_alive() for worker in workers):
                with contextlib.suppress(queue_module.Empty):
                    take(results.get(timeout=1))
            while True:
                try:
                    take(results.get_nowait())
                except queue_module.Empty:
                    break
            for worker in workers:
                worker.join()
        segment_s = time.perf_counter() - segment_start
        self.latencies += latencies
        made = count - start_count
        RESULTS["bulk_s"] = round(RESULTS.get("bulk_s", 0) + segment_s, 1)
        RESULTS["bulk_sites"] = RESULTS.get("bulk_sites", 0) + made
        RESULTS["failed"] = RESULTS.get("failed", 0) + len(failed)
        if failed:
            RESULTS.setdefault("failures", []).extend(failed[:5])
        figures = {
            "communes": count,
            "segment_sites": made,
            "segment_s": round(segment_s, 1),
            "wall_per_site_s": round(segment_s / made, 2) if made else None,
            "latency_last_mean_s": round(statistics.mean(latencies[-WINDOW:]), 2)
            if latencies
            else None,
            "latency_segment_median_s": round(statistics.median(latencies), 2)
            if latencies
            else None,
            "failed": len(failed),
            "jobs": self.jobs,
            "load": machine_load(),
            **db_figures(),
        }
        return figures


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


def copy_vs_clone(rounds: int) -> dict:
    """The template copy (``tenants.schema_copy``) vs django-tenants' ``clone_schema``, interleaved.

    Each into a throwaway schema, in its own transaction, dropped after (outside the timings);
    plus one fresh read of the template's definition (``pg_dump``, once per template state).
    """
    from django.db import connection, transaction
    from django.test import override_settings

    from tenants.models import TemplateDDL
    from tenants.schema_copy import copy_or_clone, template_ddl

    template = "tpl_commune"
    connection.set_schema_to_public()
    TemplateDDL.objects.filter(template_schema=template).delete()
    start = time.perf_counter()
    template_ddl(template)
    dump_s = time.perf_counter() - start
    times: dict[str, list[float]] = {"copy": [], "clone": []}
    for index in range(rounds):
        for way in ("copy", "clone"):
            target = f"bench_{way}_{index}"
            with override_settings(SCHEMA_COPY_FROM_DUMP=way == "copy"):
                start = time.perf_counter()
                with transaction.atomic():
                    assert copy_or_clone(template, target) == way
                times[way].append(time.perf_counter() - start)
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{target}" CASCADE')
    copy, clone = statistics.median(times["copy"]), statistics.median(times["clone"])
    return {
        "rounds": rounds,
        "dump_s": round(dump_s, 2),
        "copy_median_s": round(copy, 3),
        "copy_max_s": round(max(times["copy"]), 3),
        "clone_median_s": round(clone, 3),
        "clone_max_s": round(max(times["clone"]), 3),
        "clone_over_copy": round(clone / copy, 1),
        "load": machine_load(),
    }


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


def migrate_all(
    processes: int, max_minutes: float, pg_nice: int | None, executor: str = "multiprocessing"
) -> dict:
    """``migrate_schemas --tenant`` in a subprocess, timed schema by schema from its output."""
    import re

    from django.db import connection

    connection.close()
    env = dict(os.environ, PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}", PYTHONUNBUFFERED="1")
    if pg_nice is not None:
        env["BENCH_PG_NICE"] = str(pg_nice)
    started_line = re.compile(r"\[(\d+)/(\d+) \(\d+%\) .*(Starting migration|=== Migrated)")
    up_to_date_line = re.compile(r"\[sites\] (\d+) of (\d+) schemas up to date; (\d+) to migrate")
    checked = None
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "scale_migrate.py"), str(processes), executor],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + max_minutes * 60
    started, total, stamps, tail = 0, None, [], []
    stopped = False
    assert process.stdout is not None
    for line in process.stdout:
        tail = (tail + [line.rstrip()])[-20:]
        checked_match = up_to_date_line.search(line)
        if checked_match:
            checked = {
                "checked_at_s": round(time.perf_counter() - start, 1),
                "up_to_date": int(checked_match.group(1)),
                "schemas": int(checked_match.group(2)),
                "behind": int(checked_match.group(3)),
            }
        match = started_line.search(line)
        if match:
            started += 1
            total = int(match.group(2))
            stamps.append(time.perf_counter() - start)
            if started % 100 == 0:
                print(f"  migrate_schemas: {started}/{total} schemas, "
                      f"{stamps[-1]:.0f} s", flush=True)  # fmt: skip
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGTERM)  # the bench's own child and its workers
            stopped = True
            break
    process.wait()
    seconds = time.perf_counter() - start
    result = {
        "executor": executor,
        "processes": processes,
        **({"status_check": checked} if checked else {}),
        "schemas_total": total,
        "schemas_started": started,
        "seconds": round(seconds, 1),
        "first_schema_at_s": round(stamps[0], 1) if stamps else None,
        "stopped_at_limit": stopped,
        "returncode": process.returncode,
    }
    if len(stamps) > 1:
        # Schemas per second once the executor runs (the setup before the first is apart).
        rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if stamps[-1] > stamps[0] else None
        result["schemas_per_s"] = round(rate, 2) if rate else None
        if stopped and rate and total:
            result["all_schemas_estimate_s"] = round(stamps[0] + total / rate)
    if process.returncode not in (0, None) and not stopped:
        result["output_tail"] = tail
    return result


def one_real_migration(
    processes: int, max_minutes: float, pg_nice: int | None, executor: str = "multiprocessing"
) -> dict:
    """Add a migration that adds a column to a site table, apply it to every site, remove it."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

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
    removed_before = remove_probe_column()
    try:
        result = migrate_all(processes, max_minutes, pg_nice, executor)
        if removed_before:
            result["probe_removed_before"] = removed_before
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = 'notices_urgentnotice' AND column_name = 'bench_probe'"
            )
            result["schemas_with_column"] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_name = 'notices_urgentnotice'"
            )
            result["schemas_with_table"] = cursor.fetchone()[0]
    finally:
        path.unlink()
        # A stopped run leaves the column in the schemas it reached: the next run starts clean.
        removed_after = remove_probe_column()
    result["probe_removed_after"] = removed_after
    return result


def remove_probe_column() -> int:
    """Drop the column of ``one_real_migration`` and its ``django_migrations`` row everywhere."""
    from django.db import connection

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.columns "
            "WHERE table_name = 'notices_urgentnotice' AND column_name = 'bench_probe'"
        )
        schemas = [row[0] for row in cursor.fetchall()]
        for schema in schemas:
            cursor.execute(f'ALTER TABLE "{schema}".notices_urgentnotice DROP COLUMN bench_probe')
            cursor.execute(
                f'DELETE FROM "{schema}".django_migrations '  # noqa: S608 - a schema name read above
                "WHERE app = 'notices' AND name = '9999_bench_added_column'"
            )
    return len(schemas)


def whole_dump_locks(figures: dict, settings_now: dict) -> dict:
    """What a whole-database ``pg_dump`` needs from the lock table (it locks every table)."""
    slots = int(settings_now["max_locks_per_transaction"]) * (
        int(settings_now["max_connections"]) + int(settings_now["max_prepared_transactions"])
    )
    tables = figures["tables"]
    # The lock table is shared by every session; leave room for the rest of the server's
    # work (half of today's slots) and round up to a power of two per connection.
    needed = tables + slots // 2
    per_connection = 64
    while per_connection * int(settings_now["max_connections"]) < needed:
        per_connection *= 2
    return {
        "tables_to_lock": tables,
        "lock_slots_now": slots,
        "fits_now": tables < slots,
        "max_locks_per_transaction_needed": per_connection,
    }


def measure_pages(key: str, runs: int) -> None:
    from tenants.catalog_statistics import analyze_catalogs

    analyze_catalogs()
    renice_backend(RESULTS.get("pg_nice"))
    RESULTS[key] = {"communes": commune_count(), "load": machine_load(),
                    **page_timings(PAGE_HOST, runs)}  # fmt: skip
    print(key, RESULTS[key], flush=True)


def backup_round_trip(tenant) -> dict:
    from django.test import Client
    from django_tenants.utils import schema_context
    from wagtail.models import Page

    from tenants.backup import backup_site, restore_site

    def pages() -> int:
        with schema_context(tenant.schema_name):
            return Page.objects.count()

    before = pages()
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
        "pages_before": before,
        "pages_after": pages(),
        "home_status_after": Client(HTTP_HOST=PAGE_HOST).get("/").status_code,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2, help="provisioning processes")
    parser.add_argument("--max-minutes", type=float, default=90, help="stop provisioning then")
    parser.add_argument("--migrate-max-minutes", type=float, default=20)
    parser.add_argument("--pool-rounds", type=int, default=5)
    parser.add_argument("--page-runs", type=int, default=100)
    parser.add_argument("--copy-rounds", type=int, default=3, help="copy vs clone_schema, per mark")
    parser.add_argument("--processes", type=int, default=2, help="migrate_schemas processes")
    parser.add_argument("--pg-nice", type=int, default=19, help="niceness of the PG backends")
    parser.add_argument("--port", type=int, default=8169)
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "bench-scale.json")
    parser.add_argument("--resume", action="store_true", help="continue the run in --output")
    parser.add_argument("--keep", action="store_true", help="leave the scratch database")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    args = parser.parse_args()

    if args.resume:
        RESULTS.update(json.loads(args.output.read_text()))
        RESULTS.setdefault("resumed", []).append(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
        url = attach_scratch_platform()
    else:
        RESULTS.update(started=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
        RESULTS["load_at_start"] = machine_load()
        RESULTS["command"] = " ".join(["python", "bench/scale.py", *sys.argv[1:]])
        t0 = time.perf_counter()
        url = setup_scratch_platform()
        RESULTS["setup_s"] = round(time.perf_counter() - t0, 1)
    RESULTS["pg_nice"] = args.pg_nice
    from django.db import connection

    from component_sites.core.demo import build_demo_content
    from tenants.models import Tenant
    from tenants.provisioning import provision_site
    from tenants.specs import SiteSpec

    interrupted = False
    try:
        renice_backend(args.pg_nice)
        RESULTS.setdefault("server", server_settings())
        if "province" not in RESULTS:
            province = SiteSpec(name="Tỉnh Thử Nghiệm", level="province", code="99",
                                domain="scale.bench")  # fmt: skip
            province.admin_username, province.admin_password = "quantri", ""
            provision_site(province, send_invitation=False)
            # The measured commune carries the demo content (articles, documents, media…).
            build_demo_content(provision_site(commune_spec(0), send_invitation=False).tenant)
            connection.set_schema_to_public()
            RESULTS["province"] = True
            measure_pages("pages_at_1", args.page_runs)
            save(args.output)

        bulk = Bulk(args.jobs, args.pg_nice, time.monotonic() + args.max_minutes * 60, args.output)
        RESULTS.setdefault("checkpoints", {})
        for mark in [c for c in CHECKPOINTS if c <= args.sites] + [args.sites]:
            if str(mark) in RESULTS["checkpoints"]:
                continue
            figures = bulk.run_to(mark)
            if figures is None or figures["communes"] < mark:
                if figures is not None:
                    RESULTS["stopped_early"] = figures
                    save(args.output)
                break
            RESULTS["checkpoints"][str(mark)] = figures
            print(mark, figures, flush=True)
            save(args.output)
            measure_pages(f"pages_at_{mark}", args.page_runs)
            save(args.output)
            if f"copy_vs_clone_at_{mark}" not in RESULTS and args.copy_rounds:
                RESULTS[f"copy_vs_clone_at_{mark}"] = copy_vs_clone(args.copy_rounds)
                print(f"copy vs clone at {mark}:", RESULTS[f"copy_vs_clone_at_{mark}"], flush=True)
                save(args.output)
            if mark == 10 and "pool_vs_clone_at_10" not in RESULTS:
                RESULTS["pool_vs_clone_at_10"], _ = pool_vs_clone(
                    next_commune_index(), args.pool_rounds
                )
                print("pool vs clone at 10:", RESULTS["pool_vs_clone_at_10"], flush=True)
                save(args.output)
        sites = commune_count()
        RESULTS["sites"] = sites
        if "final" not in RESULTS or RESULTS["final"].get("communes") != sites:
            RESULTS["final"] = {"communes": sites, "load": machine_load(), **db_figures()}
            RESULTS["whole_dump_locks"] = whole_dump_locks(RESULTS["final"], RESULTS["server"])
            measured = [v for k, v in RESULTS.items() if k.startswith("pages_at_")]
            if not any(v.get("communes") == sites for v in measured):
                measure_pages(f"pages_at_{sites}", args.page_runs)
            save(args.output)

        if "pool_vs_clone_end" not in RESULTS:
            RESULTS["pool_vs_clone_end"], _ = pool_vs_clone(next_commune_index(), args.pool_rounds)
            RESULTS["pool_vs_clone_end"]["communes_before"] = sites
            print("pool vs clone (end):", RESULTS["pool_vs_clone_end"], flush=True)
            save(args.output)

        if "rss" not in RESULTS:
            communes = list(Tenant.objects.filter(level="commune").order_by("pk"))
            hosts = [t.primary_domain for t in communes]
            RESULTS["rss"] = rss_after_100_sites(hosts, [t.pk for t in communes], args.port)
            print("rss:", RESULTS["rss"], flush=True)
            save(args.output)

        if "backup_round_trip" not in RESULTS:
            first = Tenant.objects.get(code=f"{CODE_BASE}")
            RESULTS["backup_round_trip"] = backup_round_trip(first)
            print("backup round trip:", RESULTS["backup_round_trip"], flush=True)
            save(args.output)

        if "migrate_nothing" not in RESULTS:
            RESULTS["migrate_nothing"] = migrate_all(
                args.processes, args.migrate_max_minutes, args.pg_nice
            )
            print("migrate_schemas, nothing to apply:", RESULTS["migrate_nothing"], flush=True)
            save(args.output)
        if "migrate_one_column" not in RESULTS:
            RESULTS["migrate_one_column"] = one_real_migration(
                args.processes, args.migrate_max_minutes, args.pg_nice
            )
            print("migrate_schemas, one column:", RESULTS["migrate_one_column"], flush=True)
            save(args.output)
        # The same two over every site with tenants/site_migrations.py (--executor=sites).
        if "sites_migrate_nothing" not in RESULTS:
            RESULTS["sites_migrate_nothing"] = migrate_all(
                args.processes, args.migrate_max_minutes, args.pg_nice, "sites"
            )
            print("--executor=sites, nothing:", RESULTS["sites_migrate_nothing"], flush=True)
            save(args.output)
        if "sites_migrate_one_column" not in RESULTS:
            RESULTS["sites_migrate_one_column"] = one_real_migration(
                args.processes, args.migrate_max_minutes, args.pg_nice, "sites"
            )
            print("--executor=sites, one column:", RESULTS["sites_migrate_one_column"], flush=True)
            save(args.output)
        RESULTS["load_at_end"] = machine_load()
        RESULTS["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted: the scratch database is left for --resume", flush=True)
    finally:
        save(args.output)
        if args.drop:
            remove_database(url)
        elif not (args.keep or args.resume or interrupted):
            drop_scratch(url)
    print(json.dumps(RESULTS, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
