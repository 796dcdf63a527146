"""Uncached pages side by side with stock Wagtail: our commune home and article vs. bakerydemo.

Both are served the same way on the same machine: ``gunicorn -w 2`` (sync workers), the
production settings (``DEBUG`` off, WhiteNoise, Redis cache), the same PostgreSQL, and the
same ``wrk -t2 -c8`` alternated between the two in each round.  Ours runs with
``PAGE_CACHE_SECONDS=0`` (component_sites/core/page_cache.py: every request is a miss
that renders the page, counts the visit and fills the live figures, as the first request
after a publish does); bakerydemo has no page cache.  Then the SQL queries of one page
render of each (bench/query_profile.py, Django's test client, after two warm-up
requests) and, for our home page, where they come from.

Needs a checkout of wagtail/bakerydemo (never committed here) with its own virtualenv
(Python ≥ 3.12 for its Django 6): ``--setup`` migrates it into its database, loads its
demo data (``load_initial_data``) and collects its static files.  Our side needs a
prepared demo database (``prepare_platform --demo``) and the commune's domain:

    python bench/bakerydemo.py --bakerydemo /tmp/bakerydemo \\
        --bakerydemo-python /tmp/bakerydemo-venv/bin/python --bakerydemo-db wt_judge_bakery \\
        --db wt_judge --host phuongphutho.phutho.localhost [--setup] [--rounds 3] [--seconds 10]

``DATABASE_URL`` names the PostgreSQL server (its database part is replaced by ``--db`` and
``--bakerydemo-db``); ``REDIS_URL`` the Redis server both use (bakerydemo its databases
0 and 1, ours the one in the URL, with ``CACHE_KEY_PREFIX``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from edge_cache import free_port  # noqa: E402
from storm import parse_wrk  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OURS_PYTHON = Path(sys.executable)
AGENT = "Mozilla/5.0 (X11; Linux x86_64) bakerydemo-bench"


def _db_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    return base.rsplit("/", 1)[0] + "/" + name


def _redis_server() -> str:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return url.rsplit("/", 1)[0] if url.count("/") > 2 else url


def ours_env(args, static_root: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "DATABASE_URL": _db_url(args.db),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        "CONTROL_DOMAINS": os.environ.get("CONTROL_DOMAINS", "localhost,127.0.0.1"),
        "SITE_DOMAIN_SUFFIX": os.environ.get("SITE_DOMAIN_SUFFIX", "localhost"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "PUBLIC_URL_SCHEME": "http",
        "STATIC_ROOT": static_root,
        "PAGE_CACHE_SECONDS": "0",
        # Its own key space: pages another server of the same Redis cached are never read.
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal") + "-uncached-bench",
        "LOG_LEVEL": "WARNING",
    }


def bakery_env(args) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV")
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
        "DATABASE_URL": _db_url(args.bakerydemo_db),
        "DJANGO_SECRET_KEY": "bench-only-secret-key",
        "REDIS_URL": _redis_server(),
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def _run(python: str, argv: list[str], env: dict, cwd: str) -> str:
    done = subprocess.run(  # noqa: S603 - the given interpreters, arguments built here
        [python, *argv], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{argv[:3]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def setup_bakerydemo(args, env: dict) -> None:
    manage = ["manage.py"]
    print("bakerydemo: migrate, load_initial_data, collectstatic …", flush=True)
    _run(args.bakerydemo_python, [*manage, "migrate", "--noinput"], env, args.bakerydemo)
    has_data = _run(
        args.bakerydemo_python,
        [
            *manage,
            "shell",
            "-c",
            "from bakerydemo.blog.models import BlogPage; print(BlogPage.objects.count())",
        ],
        env,
        args.bakerydemo,
    )
    if int(has_data.strip().splitlines()[-1]) == 0:
        _run(args.bakerydemo_python, [*manage, "load_initial_data"], env, args.bakerydemo)
    _run(args.bakerydemo_python, [*manage, "collectstatic", "--noinput"], env, args.bakerydemo)


def bakery_paths(args, env: dict) -> dict:
    code = (
        "import json; from wagtail.models import Site; "
        "from bakerydemo.blog.models import BlogPage; "
        "site = Site.objects.get(is_default_site=True); "
        "post = BlogPage.objects.live().order_by('-date_published', 'pk').first(); "
        "print(json.dumps({'host': site.hostname, 'home': '/', "
        "'article': post.get_url_parts()[2]}))"
    )
    out = _run(args.bakerydemo_python, ["manage.py", "shell", "-c", code], env, args.bakerydemo)
    return json.loads(out.strip().splitlines()[-1])


def ours_paths(args, env: dict) -> dict:
    code = (
        "import json\n"
        "from django_tenants.utils import schema_context\n"
        "from tenants.models import Domain\n"
        "from component_sites.news.models import ArticlePage\n"
        f"domain = Domain.objects.select_related('tenant').get(domain={args.host!r})\n"
        "with schema_context(domain.tenant.schema_name):\n"
        "    articles = ArticlePage.objects.live()\n"
        "    article = articles.order_by('depth', '-publication_date', 'pk').first()\n"
        "    print(json.dumps({'home': '/', 'article': article.url}))\n"
    )
    out = _run(str(OURS_PYTHON), ["manage.py", "shell", "-c", code], env, str(ROOT))
    return json.loads(out.strip().splitlines()[-1])


def query_profile(python: str, env: dict, cwd: str, host: str, path: str) -> dict:
    out = _run(
        python,
        [str(ROOT / "bench" / "query_profile.py"), "--host", host, "--path", path, "--json"],
        {**env, "PYTHONPATH": env.get("PYTHONPATH", cwd)},
        cwd,
    )
    return json.loads(out.strip().splitlines()[-1])


@contextlib.contextmanager
def gunicorn(python: str, app: str, env: dict, cwd: str, log: str):
    port = free_port()
    binary = Path(python).with_name("gunicorn")
    with open(log, "w") as stderr:  # noqa: PTH123
        process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
            [str(binary), app, "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120"],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            yield port
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_page(url: str, host: str, timeout: float = 120.0) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = requests.get(url, headers={"Host": host, "User-Agent": AGENT}, timeout=60)
            if response.status_code == 200:
                return response
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} (Host {host}) does not answer 200")
        time.sleep(0.3)  # polling a starting server until it answers, not a timed wait


def wrk(url: str, host: str, seconds: int, connections: int) -> dict:
    done = subprocess.run(  # noqa: S603 - fixed tool, arguments built here
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-H",
            f"Host: {host}",
            "-H",
            f"User-Agent: {AGENT}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bakerydemo", required=True, help="the bakerydemo checkout")
    parser.add_argument("--bakerydemo-python", required=True, help="its virtualenv's python")
    parser.add_argument("--bakerydemo-db", default="bakerydemo_bench")
    parser.add_argument("--db", required=True, help="our prepared demo database")
    parser.add_argument("--host", required=True, help="our demo commune's domain")
    parser.add_argument("--setup", action="store_true", help="migrate and load bakerydemo")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--queries-only", action="store_true", help="count queries, no wrk")
    args = parser.parse_args()
    args.bakerydemo = str(Path(args.bakerydemo).resolve())

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    ours = ours_env(args, static_root)
    bakery = bakery_env(args)
    if args.setup:
        setup_bakerydemo(args, bakery)
    print("ours: collectstatic …", flush=True)
    _run(str(OURS_PYTHON), ["manage.py", "collectstatic", "--noinput", "-v0"], ours, str(ROOT))
    paths = {"ours": ours_paths(args, ours), "bakerydemo": bakery_paths(args, bakery)}
    hosts = {"ours": args.host, "bakerydemo": paths["bakerydemo"]["host"]}
    print(f"pages: {json.dumps(paths, ensure_ascii=False)}", flush=True)

    print("\nSQL queries of one uncached render (test client, after 2 warm-up requests):")
    counts = {}
    for side, python, env, cwd in (
        ("ours", str(OURS_PYTHON), ours, str(ROOT)),
        ("bakerydemo", args.bakerydemo_python, bakery, args.bakerydemo),
    ):
        for page in ("home", "article"):
            result = query_profile(python, env, cwd, hosts[side], paths[side][page])
            counts[(side, page)] = result["queries"]
            print(f"  {side:<10} {page:<8} {result['queries']:3d}  (HTTP {result['status']})")

    if args.queries_only:
        return 0
    log_dir = Path(tempfile.gettempdir())
    figures: dict[tuple[str, str], list[dict]] = {}
    with (
        gunicorn(
            str(OURS_PYTHON), "portal.wsgi:application", ours, str(ROOT), log_dir / "bench-ours.log"
        ) as ours_port,
        gunicorn(
            args.bakerydemo_python,
            "bakerydemo.wsgi:application",
            bakery,
            args.bakerydemo,
            log_dir / "bench-bakerydemo.log",
        ) as bakery_port,
    ):
        bases = {
            "ours": f"http://127.0.0.1:{ours_port}",
            "bakerydemo": f"http://127.0.0.1:{bakery_port}",
        }
        for side in ("ours", "bakerydemo"):
            for page in ("home", "article"):
                for _ in range(3):  # renditions made, per-process caches filled
                    response = wait_page(bases[side] + paths[side][page], hosts[side])
                if side == "ours" and response.headers.get("X-Cache") == "HIT":
                    raise RuntimeError("our page came from the page cache: PAGE_CACHE_SECONDS?")
        print(
            f"\nwrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds, "
            f"cpus {os.cpu_count()}, load {os.getloadavg()[0]:.1f}"
        )
        print(f"{'round':<6} {'page':<8} {'side':<11} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} err")
        for round_ in range(args.rounds):
            for page in ("home", "article"):
                order = ("ours", "bakerydemo") if round_ % 2 == 0 else ("bakerydemo", "ours")
                for side in order:
                    url = bases[side] + paths[side][page]
                    result = wrk(url, hosts[side], args.seconds, args.connections)
                    figures.setdefault((page, side), []).append(result)
                    print(
                        f"{round_ + 1:<6} {page:<8} {side:<11} {result['rps']:8.1f} "
                        f"{result['p50']:8.1f} {result['p99']:8.1f} {result['errors']}",
                        flush=True,
                    )
        load_after = os.getloadavg()[0]

    print(f"\nmedians of {args.rounds} rounds (load after {load_after:.1f}):")
    print("| page | side | req/s | p50 ms | p99 ms | SQL queries |")
    print("|---|---|---:|---:|---:|---:|")
    for page in ("home", "article"):
        for side in ("ours", "bakerydemo"):
            rows = figures[(page, side)]
            print(
                f"| {page} | {side} | {statistics.median(r['rps'] for r in rows):.1f} "
                f"| {statistics.median(r['p50'] for r in rows):.1f} "
                f"| {statistics.median(r['p99'] for r in rows):.1f} | {counts[(side, page)]} |"
            )
    for page in ("home", "article"):
        ratios = [
            o["rps"] / b["rps"]
            for o, b in zip(figures[(page, "ours")], figures[(page, "bakerydemo")], strict=True)
        ]
        print(
            f"{page}: ours / bakerydemo req/s per round "
            + ", ".join(f"{r:.2f}×" for r in ratios)
            + f"; median {statistics.median(ratios):.2f}×"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
