"""Lighthouse (mobile) over one page of each kind of a running demo: all four categories.

Needs the `lighthouse` npm package (``npm install lighthouse@12`` in a directory outside
the repository, e.g. under /tmp; pass its ``node_modules/.bin/lighthouse`` with
``--lighthouse``) and Debian's Chromium (``CHROME_PATH``, default /usr/bin/chromium:
Lighthouse never downloads a browser).  Usage:

    python bench/lighthouse_pages.py --base http://luongson.phutho.localhost:8000 \\
        --lighthouse /tmp/lh/node_modules/.bin/lighthouse \\
        [--province http://phutho.localhost:8000] [--console http://localhost:8000] \\
        [--runs 3] [--json out.json] [--only home article]

Every page type of a commune is visited: the detail pages (an article, a document, a
procedure, a notice, an album…) are the first link of their list page.  Pages whose
largest contentful paint depends on the machine (``LCP_SENSITIVE``, and any page whose
first run gives LCP over 1.0 s) run ``--runs`` times; the median run (by LCP) is reported.
Prints a Markdown table (performance, accessibility, best practices, SEO, LCP, CLS, TBT,
the LCP element) and, per page, every audit that failed with its offending element.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import tempfile
import urllib.parse

import requests

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# (name, path) or (name, (list path, regular expression of the first detail link to take)).
PAGES = [
    ("home", "/"),
    ("news list", "/tin-tuc/"),
    ("news category", ("/tin-tuc/", r"/tin-tuc/[\w-]+/$")),
    ("article", ("/tin-tuc/", r"/tin-tuc/[\w-]+/[\w-]+/$")),
    ("documents list", "/van-ban/"),
    ("document", ("/van-ban/", r"/van-ban/[\w-]+/$")),
    ("procedures list", "/thu-tuc-hanh-chinh/"),
    ("procedure", ("/thu-tuc-hanh-chinh/", r"/thu-tuc-hanh-chinh/[\w.-]+/$")),
    ("Q&A list", "/hoi-dap/"),
    ("Q&A answer", ("/hoi-dap/", r"/hoi-dap/\d+/$")),
    ("Q&A ask form", "/hoi-dap/dat-cau-hoi/"),
    ("feedback form", "/hoi-dap/phan-anh-kien-nghi/"),
    ("notices", "/thong-bao/"),
    ("notice", ("/thong-bao/", r"/thong-bao/[\w-]+/$")),
    ("schedule", "/lich-cong-tac/"),
    ("drafts for comment", "/lay-y-kien-du-thao/"),
    ("draft", ("/lay-y-kien-du-thao/", r"/lay-y-kien-du-thao/[\w-]+/$")),
    ("library", "/thu-vien/"),
    # The demo's library holds albums, videos and radio bulletins ("ban-tin-…").
    ("album", ("/thu-vien/", r"/thu-vien/(?!video|ban-tin)[\w-]+/$")),
    ("video", ("/thu-vien/", r"/thu-vien/video[\w-]+/$")),
    ("radio bulletin", ("/thu-vien/", r"/thu-vien/ban-tin[\w-]+/$")),
    ("introduction", "/gioi-thieu/"),
    ("organisation", "/gioi-thieu/co-cau-to-chuc/"),
    ("contact", "/lien-he/"),
    ("English page", "/en/"),
    ("search (noindex)", "/tim-kiem/?q=d%E1%BB%8Bch+v%E1%BB%A5"),
    ("sitemap page", "/so-do-trang/"),
    ("404", "/khong-co-trang-nay/"),
]
# The province's site publishes the scoring of its communes; the console is on the control domain.
PROVINCE_PAGES = [("scoring results", "/ket-qua-danh-gia/")]
CONSOLE_PAGES = [("console login", "/console/dang-nhap/")]
LCP_SENSITIVE = {"home", "article", "album", "news list", "news category", "library"}
NOINDEX = {"search (noindex)", "404", "console login"}


def first_link(base: str, list_path: str, pattern: str) -> str | None:
    parts = urllib.parse.urlsplit(base)
    headers = {"User-Agent": "lighthouse-bench"}
    if parts.hostname.endswith(".localhost"):  # Chromium resolves these itself, Python not
        headers["Host"] = parts.netloc
        base = f"{parts.scheme}://127.0.0.1:{parts.port or 80}"
    html = requests.get(base + list_path, headers=headers, timeout=60).text
    for href in re.findall(r'href="([^"#?]+)"', html):
        path = re.sub(r"^https?://[^/]+", "", href)
        if re.search(pattern, path) and path != list_path:
            return path
    return None


def run(lighthouse: str, url: str, attempts: int = 3) -> dict:
    """One Lighthouse run; a run that fails (a trace not recorded, NO_NAVSTART) is retried."""
    for attempt in range(attempts):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            done = subprocess.run(  # noqa: S603 - the given lighthouse binary
                [
                    lighthouse,
                    url,
                    "--quiet",
                    "--output=json",
                    f"--output-path={out.name}",
                    "--form-factor=mobile",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ],
                check=False,
                env={
                    **os.environ,
                    "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
                },
                timeout=400,
            )
            if done.returncode == 0:
                with open(out.name, encoding="utf-8") as handle:  # noqa: PTH123
                    return json.load(handle)
        print(f"  lighthouse failed on {url} (attempt {attempt + 1})", flush=True)
    raise RuntimeError(f"lighthouse failed {attempts} times on {url}")


def _element(details: dict | None) -> str:
    """The offending element (or URL) of an audit's first item, shortened."""
    try:
        return _first_element(details)
    except (AttributeError, KeyError, TypeError, IndexError):  # an unusual details shape
        return ""


def _first_element(details: dict | None) -> str:
    items = (details or {}).get("items") or []
    if not isinstance(items, list):
        return ""
    if items and isinstance(items[0], dict) and "items" in items[0] and "node" not in items[0]:
        return _first_element(items[0])  # a list of tables (the LCP element's audit)
    for item in items:
        for candidate in (item, *(v for v in item.values() if isinstance(v, dict))):
            node = candidate.get("node") if isinstance(candidate, dict) else None
            if isinstance(node, dict) and (node.get("snippet") or node.get("selector")):
                text = node.get("selector") or ""
                snippet = (node.get("snippet") or "")[:90]
                more = f" (+{len(items) - 1})" if len(items) > 1 else ""
                return f"{text} `{snippet}`{more}"
            if isinstance(candidate, dict) and candidate.get("type") == "node":
                return f"{candidate.get('selector', '')} `{(candidate.get('snippet') or '')[:90]}`"
        url = item.get("url") or item.get("source", {}).get("url") if isinstance(item, dict) else ""
        if url:
            more = f" (+{len(items) - 1})" if len(items) > 1 else ""
            return re.sub(r"^https?://[^/]+", "", str(url))[:100] + more
    return ""


def summarise(report: dict) -> dict:
    categories = report["categories"]
    audits = report["audits"]
    failed = []
    for category in CATEGORIES:
        for ref in categories[category]["auditRefs"]:
            audit = audits[ref["id"]]
            if audit.get("scoreDisplayMode") in ("notApplicable", "informative", "manual"):
                continue
            score = audit.get("score")
            if score is None:
                continue
            if category == "performance":
                # Metrics are in the table; an opportunity or diagnostic counts under 0.9.
                if ref.get("group") == "metrics" or score >= 0.9:
                    continue
            elif score >= 1:
                continue
            failed.append(
                {
                    "category": category,
                    "id": ref["id"],
                    "score": score,
                    "element": _element(audit.get("details")),
                    "display": audit.get("displayValue", ""),
                }
            )
    lcp_element = _element(audits.get("largest-contentful-paint-element", {}).get("details"))
    return {
        "scores": {c: round((categories[c]["score"] or 0) * 100) for c in CATEGORIES},
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp_element": lcp_element,
        "failed": failed,
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
    }


def measure(lighthouse: str, url: str, runs: int, sensitive: bool) -> dict:
    results = [summarise(run(lighthouse, url))]
    if runs > 1 and (sensitive or results[0]["lcp"] > 1.0):
        results += [summarise(run(lighthouse, url)) for _ in range(runs - 1)]
    ordered = sorted(results, key=lambda r: r["lcp"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["runs"] = len(results)
    chosen["lcp_runs"] = [round(r["lcp"], 2) for r in results]
    chosen["perf_runs"] = [r["scores"]["performance"] for r in results]
    chosen["median_perf"] = statistics.median(chosen["perf_runs"])
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the commune's origin")
    parser.add_argument("--province", help="the province's origin (scoring results page)")
    parser.add_argument("--console", help="the control domain's origin (console login page)")
    parser.add_argument("--lighthouse", default="lighthouse")
    parser.add_argument("--runs", type=int, default=3, help="runs of LCP-sensitive pages (3)")
    parser.add_argument("--only", nargs="*", help="page names to run (default: all)")
    parser.add_argument("--json", help="write every page's summary there")
    parser.add_argument(
        "--resume", action="store_true", help="keep the pages already in --json, run the rest"
    )
    args = parser.parse_args()
    base = args.base.rstrip("/")
    pages = [(name, target, base) for name, target in PAGES]
    if args.province:
        pages += [(name, path, args.province.rstrip("/")) for name, path in PROVINCE_PAGES]
    if args.console:
        pages += [(name, path, args.console.rstrip("/")) for name, path in CONSOLE_PAGES]
    if args.only:
        pages = [page for page in pages if page[0] in args.only]
    print(f"load average before: {os.getloadavg()[0]:.1f} (cpus {os.cpu_count()})", flush=True)
    rows = []
    if args.resume and args.json and os.path.exists(args.json):
        with open(args.json, encoding="utf-8") as handle:  # noqa: PTH123
            rows = [row for row in json.load(handle) if row.get("path")]
    done = {row["name"] for row in rows}
    for name, target, origin in pages:
        if name in done:
            continue
        path = target if isinstance(target, str) else first_link(origin, *target)
        if path is None:
            print(f"{name}: no link found on {target[0]}", flush=True)
            rows.append({"name": name, "path": None})
            continue
        try:
            result = measure(args.lighthouse, origin + path, args.runs, name in LCP_SENSITIVE)
        except RuntimeError as error:  # Lighthouse refuses error pages (a 404's status)
            print(f"{name}: {error}", flush=True)
            continue
        result.update(name=name, path=path, load=round(os.getloadavg()[0], 1))
        rows.append(result)
        if args.json:  # kept after every page: a long run that stops keeps what it measured
            with open(args.json, "w", encoding="utf-8") as handle:  # noqa: PTH123
                json.dump(rows, handle, ensure_ascii=False, indent=1)
        s = result["scores"]
        print(
            f"{name}: {path} perf {s['performance']} a11y {s['accessibility']} "
            f"bp {s['best-practices']} seo {s['seo']} LCP {result['lcp']:.2f}s "
            f"(runs {result['lcp_runs']}) CLS {result['cls']:.3f} TBT {result['tbt']:.0f}ms "
            f"load {result['load']}",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:  # noqa: PTH123
            json.dump(rows, handle, ensure_ascii=False, indent=1)
    print("\n| page | path | perf | a11y | best pr. | SEO | LCP s | CLS | TBT ms | runs |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if r.get("path") is None:
            print(f"| {r['name']} | (no link found) | | | | | | | | |")
            continue
        s = r["scores"]
        print(
            f"| {r['name']} | `{r['path'][:48]}` | {s['performance']} | {s['accessibility']} "
            f"| {s['best-practices']} | {s['seo']} | {r['lcp']:.2f} | {r['cls']:.3f} "
            f"| {r['tbt']:.0f} | {r['runs']} |"
        )
    print("\nFailed audits (page: category/id — offending element):")
    for r in rows:
        for f in r.get("failed", []):
            print(
                f"- {r['name']}: {f['category']}/`{f['id']}` ({f['score']:.2f}"
                f"{', ' + f['display'] if f['display'] else ''}) — {f['element']}"
            )
    print("\nLCP elements:")
    for r in rows:
        if r.get("lcp_element"):
            print(f"- {r['name']}: {r['lcp_element']}")


if __name__ == "__main__":
    main()
