"""Storm day: a demo commune through the edge cache (Varnish) vs. straight to gunicorn.

Provisions a province and a commune with the full demo content in a scratch database,
starts ``gunicorn -w 2`` on it and the edge cache (bench/edge_cache.py, the repository's
VCL) in front, then, in one run and with the same load tool (``wrk -t2 -c8``, Debian's
``wrk``), alternately:

1. the home page and an article, each straight to gunicorn (served from the platform's
   Redis page cache: no rendering) and through the edge cache: req/s, p50, p99;
2. ``/_live/`` through the edge (it always reaches gunicorn: the per-view cost of the live
   figures of an edge-cached page);
3. a 60 s storm on the edge (home and article under wrk), with an urgent notice saved at
   the middle: the time until the home page, the news list and the article show it,
   errors, and pages served without it after the purge returned (stale).

    python bench/storm.py [--seconds 10] [--rounds 2] [--storm 60] [--connections 8]

Needs ``varnish`` and ``wrk`` (apt-get install varnish wrk).  The machine is shared: the
load average before and after each run is printed with its figures.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scratch  # noqa: E402
from edge_cache import edge_cache, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HOST = "nt.hb.bench"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) storm-bench"
NOTICE = "Cảnh báo bão khẩn cấp"


def _wrk(url: str, seconds: int, connections: int, threads: int = 2) -> dict:
    done = subprocess.run(  # noqa: S603 - fixed tool, arguments built here
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Host: {HOST}",
            "-H",
            f"User-Agent: {AGENT}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(done.stdout)


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(out: str) -> dict:
    """Requests/s, p50, p99 (ms), requests, errors (non-2xx/3xx and socket errors)."""
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": 0,
    }
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    result["errors"] = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )
    return result


def _wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            requests.get(url, timeout=2)  # any answer (no worker here: /healthz says 503)
            return
        time.sleep(0.2)  # polling a starting server until it answers, not a timed wait
    raise RuntimeError(f"{url} does not answer")


def _build_site():
    from django.db import connection
    from django_tenants.utils import schema_context

    from component_sites.core import counter_flush
    from component_sites.core.demo import build_demo_content
    from component_sites.news.models import ArticlePage
    from tenants.provisioning import provision_site
    from tenants.specs import SiteSpec

    for spec in (
        SiteSpec(name="Tỉnh Hoà Bình", level="province", code="17", domain="hb.bench"),
        SiteSpec(
            name="Xã Nhuận Trạch", level="commune", code="04954", parent_code="17", domain=HOST
        ),
    ):
        spec.admin_username, spec.admin_password = "quantri", ""
        tenant = provision_site(spec, send_invitation=False).tenant
    build_demo_content(tenant)
    with schema_context(tenant.schema_name):
        article = ArticlePage.objects.live().order_by("-publication_date").first()
        counter_flush.flush_site(tenant.schema_name)  # loads the stored counters' Redis mirror
        paths = {"home": "/", "news list": "/tin-tuc/", "article": article.url}
    connection.set_schema_to_public()
    return tenant, paths


def _row(name: str, r: dict, load: tuple[float, float]) -> str:
    return (
        f"{name:<28} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:7d} "
        f"   load {load[0]:.1f}→{load[1]:.1f}"
    )


def _storm(edge: str, paths: dict, tenant, seconds: int, connections: int) -> None:
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from component_sites.notices.models import UrgentNotice

    results: dict[str, dict] = {}

    def load(name, path):
        results[name] = _wrk(edge + path, seconds, max(1, connections // 2), threads=1)

    loaders = [
        threading.Thread(target=load, args=(name, paths[name])) for name in ("home", "article")
    ]
    for thread in loaders:
        thread.start()
    seen: dict[str, float] = {}
    stale = dict.fromkeys(paths, 0)
    polled = dict.fromkeys(paths, 0)
    errors = dict.fromkeys(paths, 0)
    marks: dict[str, float] = {}
    stop = threading.Event()

    def poll(name, path):
        session = requests.Session()
        while not stop.is_set():
            try:
                response = session.get(
                    edge + path, headers={"Host": HOST, "User-Agent": AGENT}, timeout=10
                )
            except requests.RequestException:
                errors[name] += 1
                continue
            now = time.monotonic()
            if response.status_code != 200:
                errors[name] += 1
                continue
            shows = NOTICE in response.text
            if shows and name not in seen and "saving" in marks:
                seen[name] = now
            if "saved" in marks and now > marks["saved"]:
                polled[name] += 1
                stale[name] += not shows

    pollers = [threading.Thread(target=poll, args=item) for item in paths.items()]
    for thread in pollers:
        thread.start()
    time.sleep(seconds / 2)  # the notice goes out in the middle of the load
    marks["saving"] = time.monotonic()
    with schema_context(tenant.schema_name):
        UrgentNotice.objects.create(
            title=NOTICE,
            message="Bão số 3 đổ bộ đêm nay; người dân vùng trũng sơ tán ngay.",
            level=UrgentNotice.Level.DANGER,
            starts_at=timezone.now() - dt.timedelta(seconds=1),
            ends_at=timezone.now() + dt.timedelta(hours=6),
        )
    marks["saved"] = time.monotonic()  # committed, the edge's ban answered
    for thread in loaders:
        thread.join()
    stop.set()
    for thread in pollers:
        thread.join()
    print(f"\nStorm: {seconds} s of wrk on the edge (home and article, -c{connections} in all)")
    for name in ("home", "article"):
        r = results[name]
        print(
            f"  {name:<8} {r['rps']:8.0f} req/s  p50 {r['p50']:.2f} ms  p99 {r['p99']:.2f} ms  "
            f"requests {r['requests']}  errors {r['errors']}"
        )
    save_ms = (marks["saved"] - marks["saving"]) * 1000
    print(f"  urgent notice saved (commit + purge of the site): {save_ms:.0f} ms")
    for name in paths:
        shown = (seen[name] - marks["saving"]) * 1000 if name in seen else float("nan")
        print(
            f"  {name:<10} shows it after {shown:7.0f} ms; polled after the purge "
            f"{polled[name]:5d}, stale {stale[name]}, errors {errors[name]}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="each wrk measurement (10)")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of each pair (2)")
    parser.add_argument("--storm", type=int, default=60, help="length of the storm run (60)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    args = parser.parse_args()

    scratch.SCRATCH_DB = os.environ.get("STORM_DB", "portal_bench_storm")
    web_port, edge_port = free_port(), free_port()
    edge = f"http://127.0.0.1:{edge_port}"
    os.environ.setdefault("DEBUG", "0")
    os.environ["EDGE_CACHE_URL"] = edge
    os.environ["PUBLIC_URL_PORT"] = ""
    url = scratch.setup_scratch_platform()
    web = None
    try:
        # The edge is not there yet while the demo content is made: its purges fail quietly.
        logging.getLogger("wagtail.frontendcache").setLevel(logging.CRITICAL)
        tenant, paths = _build_site()
        logging.getLogger("wagtail.frontendcache").setLevel(logging.WARNING)
        from django.db import connection

        connection.close()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
            "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        web = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
            [str(gunicorn), "portal.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{web_port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(os.environ.get("STORM_WEB_LOG", os.devnull), "w"),  # noqa: SIM115
        )
        direct = f"http://127.0.0.1:{web_port}"
        _wait_http(direct + "/healthz")
        with edge_cache("127.0.0.1", web_port, port=edge_port):
            for base in (direct, edge):
                for path in paths.values():
                    for _ in range(3):  # renditions, page cache and edge entries made
                        requests.get(
                            base + path, headers={"Host": HOST, "User-Agent": AGENT}, timeout=60
                        )
            check = requests.get(edge + paths["article"], headers={"Host": HOST}, timeout=60)
            assert check.headers.get("X-Edge-Cache") == "HIT", check.headers
            print(
                f"wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds, "
                f"cpus {os.cpu_count()}, load {os.getloadavg()[0]:.1f}"
            )
            print(f"{'target':<28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
            figures: dict[str, list[dict]] = {}
            live = paths["article"]
            for _round in range(args.rounds):
                for name, base in (
                    ("home, gunicorn", direct),
                    ("home, edge", edge),
                    ("article, gunicorn", direct),
                    ("article, edge", edge),
                ):
                    path = paths["home"] if name.startswith("home") else live
                    before = os.getloadavg()[0]
                    r = _wrk(base + path, args.seconds, args.connections)
                    figures.setdefault(name, []).append(r)
                    print(_row(name, r, (before, os.getloadavg()[0])))
            pk = re.search(r'portal-count" content="article-view:(\d+)"', check.text).group(1)
            asked = f"/_live/?visit=1&count=article-view:{pk}&show=count:article-view:{pk},visits"
            before = os.getloadavg()[0]
            r = _wrk(edge + asked, args.seconds, args.connections)
            print(_row("/_live/ through the edge", r, (before, os.getloadavg()[0])))
            print("\nMedians of the rounds:")
            for page in ("home", "article"):
                g = statistics.median(x["rps"] for x in figures[f"{page}, gunicorn"])
                e = statistics.median(x["rps"] for x in figures[f"{page}, edge"])
                gp = statistics.median(x["p99"] for x in figures[f"{page}, gunicorn"])
                ep = statistics.median(x["p99"] for x in figures[f"{page}, edge"])
                print(
                    f"  {page:<8} gunicorn {g:7.0f} req/s (p99 {gp:.1f} ms)   edge {e:7.0f} "
                    f"req/s (p99 {ep:.1f} ms)   {e / g:5.1f}×"
                )
            _storm(edge, paths, tenant, args.storm, args.connections)
    finally:
        if web is not None:
            web.terminate()
            web.wait(20)
        scratch.drop_scratch(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
