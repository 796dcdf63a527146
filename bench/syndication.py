"""Benchmark: one master update reaching 200 sites; 2,000 procedures to a new site.

Runs against a scratch database (portal_bench_proc) on the server of DATABASE_URL, with
real Celery worker processes on the Redis of REDIS_URL (databases REDIS_DB_BASE+0..3,
default 12).  The 200 receiving sites are registry rows with a schema holding only the
copy table (what syndication touches), made in seconds instead of cloning 200 full
sites; the new site of the second measurement is a full clone (``provision_site``).

    python bench/syndication.py [--sites 200] [--procedures 2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scratch  # noqa: E402

scratch.SCRATCH_DB = "portal_bench_proc"
ROOT = Path(__file__).resolve().parents[1]


def start_workers(url: str, concurrency: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
    }
    env.setdefault("REDIS_DB_BASE", "12")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal.celery_app",
            "worker",
            "-c",
            str(concurrency),
            "--loglevel",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def wait_receipts(ids: list[int], version: int, expected: int, timeout: float = 600) -> float:
    from tenants.procedures.models import SyndicationReceipt

    started = time.perf_counter()
    while True:
        done = SyndicationReceipt.objects.filter(
            procedure_id__in=ids, version=version, status="done"
        ).count()
        if done >= expected:
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"timeout: {done}/{expected} receipts")
        time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    url = scratch.setup_scratch_platform()
    from django.db import connection, transaction

    from portal.celery_app import app
    from tenants.models import Domain, Tenant
    from tenants.procedures.models import Procedure, ProcedureVersion, SyndicationReceipt
    from tenants.procedures.syndication import fan_out, snapshot, sync_template
    from tenants.provisioning import provision_site
    from tenants.specs import SiteSpec

    provision_site(SiteSpec("Tỉnh Thử", "province", "99", "thu.bench.localhost", admin_password=""))
    province = Tenant.objects.get(code="99")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(args.sites):
            code = f"{90000 + i}"
            tenant = Tenant.objects.create(
                name=f"Xã Thử {i}",
                level="commune",
                code=code,
                parent=province,
                schema_name=f"c_{code}",
            )
            Domain.objects.create(domain=f"x{code}.bench.localhost", tenant=tenant)
            cursor.execute(f'CREATE SCHEMA "c_{code}"')
            cursor.execute(
                f'CREATE TABLE "c_{code}".procedures_procedurecopy '
                "(LIKE tpl_commune.procedures_procedurecopy INCLUDING ALL)"
            )
    print(f"{args.sites} receiving sites made in {time.perf_counter() - started:.1f}s", flush=True)

    app.control.purge()
    workers = start_workers(url, args.workers)
    try:
        time.sleep(4)  # worker start-up, not measured
        # 1. One master update reaching every site.
        procedure = Procedure(
            code="1.999999",
            name="Thủ tục đo",
            field="Đo",
            levels=["commune"],
            fees="Phí cũ",
        )
        procedure.save()
        ProcedureVersion.objects.create(procedure=procedure, version=1, data=snapshot(procedure))
        timings = []
        for version in (2, 3, 4):
            procedure.fees = f"Phí phiên bản {version}"
            procedure.save()
            ProcedureVersion.objects.create(
                procedure=procedure, version=version, data=snapshot(procedure)
            )
            Procedure.objects.filter(pk=procedure.pk).update(version=version)
            t0 = time.perf_counter()
            tasks = fan_out([procedure.pk])
            enqueue = time.perf_counter() - t0
            total = enqueue + wait_receipts([procedure.pk], version, args.sites)
            timings.append(total)
            print(
                f"update v{version} → {args.sites} sites: {tasks} tasks queued in {enqueue:.2f}s, "
                f"last receipt after {total:.2f}s",
                flush=True,
            )

        # 2. The initial set of a new site: 2,000 procedures.
        rows = [
            Procedure(
                code=f"1.{800000 + i}",
                name=f"Thủ tục số {i}",
                field=f"Lĩnh vực {i % 20}",
                levels=["commune"],
                steps="Bước 1.\n" * 20,
                dossier="Tờ khai.\n" * 10,
            )
            for i in range(args.procedures)
        ]
        created = Procedure.objects.bulk_create(rows)
        ProcedureVersion.objects.bulk_create(
            [ProcedureVersion(procedure=p, version=1, data=snapshot(p)) for p in created]
        )
        Procedure.objects.filter(pk__in=[p.pk for p in created]).update(fanned_out_version=1)
        ids = [p.pk for p in created]

        # 2a. cold: a site whose schema lacks them all, through the worker (batches of 200)
        from tenants.procedures.syndication import queue_items

        new = Tenant.objects.get(code="90000")
        t0 = time.perf_counter()
        tasks = queue_items({new.pk: [(i, 1) for i in ids]})
        wait_receipts(ids, 1, args.procedures)
        cold = time.perf_counter() - t0
        print(f"{args.procedures} procedures to one site via {tasks} tasks: {cold:.2f}s")

        # 2b. provisioning a full site: template brought up to date first (as fan-outs do)
        t0 = time.perf_counter()
        sync_template("commune")
        template = time.perf_counter() - t0
        t0 = time.perf_counter()
        provision_site(
            SiteSpec(
                "Xã Mới",
                "commune",
                "89999",
                "moi.bench.localhost",
                parent_code="99",
                admin_password="",
            )
        )
        provision = time.perf_counter() - t0
        held = SyndicationReceipt.objects.filter(tenant__code="89999", status="done").count()
        print(
            f"template sync {template:.2f}s (once); provision_site of a new commune holding "
            f"{held} procedures: {provision:.2f}s"
        )
        print()
        print("| measurement | result |")
        print("|---|---|")
        print(
            f"| one update → {args.sites} sites (last receipt), 3 runs | "
            f"{', '.join(f'{t:.2f} s' for t in timings)} |"
        )
        print(f"| {args.procedures} procedures → one site, {tasks} worker tasks | {cold:.2f} s |")
        print(
            f"| new commune by provision_site, set included ({held} receipts) | {provision:.2f} s |"
        )
    finally:
        os.killpg(workers.pid, 15)
        workers.wait()
        scratch.drop_scratch(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
