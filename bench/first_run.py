"""Benchmark: the first ``make run``'s database work, on a fresh database, phase by phase.

Runs ``manage.py prepare_platform --demo`` (what the launcher runs before it starts web,
worker and beat) in a subprocess against a fresh scratch database on the server of
DATABASE_URL (default: local PostgreSQL), and prints when each phase ended: public schema
and templates, each demo site, the reform merge, scoring.  The machine's load average
before and after is printed too: on a shared machine the figures are an upper bound.

    python bench/first_run.py [--model two-level|three-level]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scratch  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="two-level", choices=["two-level", "three-level"])
    parser.add_argument(
        "--database", default="portal_bench_first_run", help="scratch database (dropped first)"
    )
    args = parser.parse_args()
    scratch.SCRATCH_DB = args.database
    url = scratch.scratch_url()
    scratch.recreate_database(url)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        MEDIA_ROOT=tempfile.mkdtemp(prefix="first-run-media-"),
        PYTHONPATH=os.pathsep.join([str(scratch.ROOT), str(scratch.ROOT / "platform")]),
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("REDIS_DB_BASE", "12")
    load_before = os.getloadavg()
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [
            sys.executable,
            str(scratch.ROOT / "manage.py"),
            "prepare_platform",
            "--demo",
            "--demo-model",
            args.model,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    phases: list[tuple[float, str]] = []
    for line in process.stdout:
        if " INFO " in line:
            continue
        elapsed = time.monotonic() - started
        phases.append((elapsed, line.rstrip()[:90]))
        print(f"{elapsed:7.1f}s  {line.rstrip()[:110]}", flush=True)
    code = process.wait()
    total = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_after = os.getloadavg()
    scratch.recreate_database(url)  # leave an empty scratch database behind
    print()
    print(f"model {args.model}: prepare_platform --demo took {total:.1f}s (exit {code})")
    # CPU time of the Python side alone (PostgreSQL's own is not in it): a lower bound of
    # what the same work needs on an idle machine, less sensitive to other load.
    print(f"CPU time of manage.py: {usage.ru_utime + usage.ru_stime:.1f}s")
    print(
        f"load average (1/5/15 min) before {load_before[0]:.1f}/{load_before[1]:.1f}/"
        f"{load_before[2]:.1f}, after {load_after[0]:.1f}/{load_after[1]:.1f}/"
        f"{load_after[2]:.1f} on {os.cpu_count()} cores"
    )
    return code


if __name__ == "__main__":
    raise SystemExit(main())
