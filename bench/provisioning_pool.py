"""``bench/provisioning.py --pool``: a site from the pool vs. one cloned, with and without load.

Request-visible time is ``provision_site`` returning (what the console's request waits
for, the e-mail's queuing included).  Each phase first fills the pool outside the timings
(the worker does it in production), then runs ``rounds`` pairs interleaved: one site from
the pool, one cloned while the caller waits (the ready clones hidden for it, as before the
pool existed).  The worker's part of a pooled site (``tenants.site_setup.finish``, when the
code has it) is timed after the request, and the site's home must answer 200 at once.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

from scratch import drop_scratch, setup_scratch_platform


def busy_loops(count: int) -> list[subprocess.Popen]:
    """``count`` processes spinning at nice 0 (the machine's other work)."""
    return [
        subprocess.Popen([sys.executable, "-c", "while 1: pass"], start_new_session=True)
        for _ in range(count)
    ]


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.kill()
        process.wait()


def add_catalogue(count: int) -> None:
    """``count`` province-wide commune procedures, current in the commune template."""
    from tenants.procedures.models import Procedure, ProcedureVersion
    from tenants.procedures.syndication import snapshot, sync_template

    created = Procedure.objects.bulk_create(
        Procedure(
            code=f"1.{700000 + i}",
            name=f"Thủ tục số {i}",
            field=f"Lĩnh vực {i % 20}",
            levels=["commune"],
            steps="Bước 1.\n" * 20,
            dossier="Tờ khai.\n" * 10,
        )
        for i in range(count)
    )
    ProcedureVersion.objects.bulk_create(
        [ProcedureVersion(procedure=p, version=1, data=snapshot(p)) for p in created]
    )
    Procedure.objects.filter(pk__in=[p.pk for p in created]).update(fanned_out_version=1)
    sync_template("commune")


def commune(index: int):
    from tenants.specs import SiteSpec

    return SiteSpec(
        f"Xã Bể Chứa {index}",
        "commune",
        f"{70000 + index}",
        f"be{index}.bench.localhost",
        parent_code="99",
        admin_password="",
        admin_email=f"quantri{index}@be.bench.localhost",
    )


def load_average() -> float:
    return round(os.getloadavg()[0], 1)


def run_phase(start: int, rounds: int, loops: int) -> tuple[dict, int]:
    from django.db import connection
    from django.test import Client, override_settings

    from tenants.models import PooledSchema
    from tenants.provisioning import provision_site
    from tenants.schema_pool import refill_pool

    try:
        from tenants import site_setup
    except ImportError:  # code from before the worker's part existed
        site_setup = None
    with override_settings(SITE_SCHEMA_POOL_SIZE={"commune": rounds}):
        refill_pool(levels=["commune"], report=lambda _m: None)
    pool, clone, worker, loads = [], [], [], []
    client = Client()
    index = start
    spinning = busy_loops(loops)
    try:
        time.sleep(2 if loops else 0)
        for i in range(rounds):
            with override_settings(SITE_SCHEMA_POOL_SIZE={"commune": 0}):
                started = time.perf_counter()
                made = provision_site(commune(index))
                pool.append(time.perf_counter() - started)
                assert made.from_pool, "the pool ran dry"
                home = client.get("/", HTTP_HOST=made.tenant.primary_domain)
                assert home.status_code == 200 and made.tenant.name in home.content.decode()
                if site_setup is not None:
                    started = time.perf_counter()
                    site_setup.finish(made.tenant.pk)
                    worker.append(time.perf_counter() - started)
                connection.set_schema_to_public()
                index += 1
                hidden = list(PooledSchema.objects.values_list("pk", "fingerprint"))
                PooledSchema.objects.update(fingerprint="hidden")
                try:
                    started = time.perf_counter()
                    made = provision_site(commune(index))
                    clone.append(time.perf_counter() - started)
                finally:
                    for pk, fingerprint in hidden:
                        PooledSchema.objects.filter(pk=pk).update(fingerprint=fingerprint)
                assert not made.from_pool
                index += 1
            loads.append(load_average())
            print(
                f"  load {loops}: round {i + 1}/{rounds}: pool {pool[-1]:.3f}s, "
                f"clone {clone[-1]:.3f}s, load average {loads[-1]}",
                flush=True,
            )
    finally:
        stop(spinning)

    def figures(times: list[float]) -> str:
        if not times:
            return "–"
        return f"{statistics.median(times):.3f} s ({max(times):.3f})"

    result = {
        "loops": loops,
        "rounds": rounds,
        "load": f"{min(loads)}–{max(loads)}",
        "pool": figures(pool),
        "clone": figures(clone),
        "ratio": statistics.median(clone) / statistics.median(pool),
        "worker": figures(worker),
    }
    return result, index


def run_pool_bench(rounds: int, procedures: int, phases: list[int]) -> int:
    url = setup_scratch_platform()
    from tenants.provisioning import provision_site
    from tenants.specs import SiteSpec

    provision_site(SiteSpec("Tỉnh Thử", "province", "99", "thu.bench.localhost", admin_password=""))
    add_catalogue(procedures)
    # The first site of a process also loads the task registry and URL configuration:
    # timed apart, as the first provisioning after a web process starts.
    first, index = run_phase(0, 1, 0)
    print("first in the process:", first, flush=True)
    results = []
    for loops in phases:
        result, index = run_phase(index, rounds, loops)
        print(result, flush=True)
        results.append(result)
    print()
    print(f"{procedures} procedures in the catalogue; medians (max) of {rounds} rounds each")
    print()
    print(
        "| busy loops | load average | pool (request) | clone (request) | clone/pool |"
        " worker's part (pool) |"
    )
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['loops']} | {r['load']} | {r['pool']} | {r['clone']} | {r['ratio']:.1f}× "
            f"| {r['worker']} |"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the benchmark process: {peak:.0f} MiB")
    drop_scratch(url)
    return 0
