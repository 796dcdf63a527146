"""Lighthouse (mobile) over one page of each kind of a running demo: SEO, performance, LCP, CLS.

Needs the `lighthouse` npm package (``npm install lighthouse@12`` anywhere; pass its
``node_modules/.bin/lighthouse`` with ``--lighthouse``) and Debian's Chromium.  Usage:

    python bench/lighthouse_pages.py --base http://doclap.hoabinh.localhost:8000 \\
        --lighthouse /tmp/lh/node_modules/.bin/lighthouse [--paths / /tin-tuc/ ...]

Prints one line per page and the audits that failed, for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile

DEFAULT_PATHS = [
    "/",
    "/tin-tuc/",
    "/van-ban/",
    "/thu-tuc-hanh-chinh/",
    "/hoi-dap/",
    "/hoi-dap/dat-cau-hoi/",
    "/thong-bao/",
    "/thu-vien/",
    "/lich-cong-tac/",
    "/gioi-thieu/",
    "/lien-he/",
    "/so-do-trang/",
]


def run(lighthouse: str, url: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                lighthouse,
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out.name}",
                "--only-categories=seo,performance",
                "--chrome-flags=--headless --no-sandbox --disable-gpu",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            timeout=300,
        )
        return json.load(open(out.name, encoding="utf-8"))  # noqa: SIM115


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--lighthouse", default="lighthouse")
    parser.add_argument("--paths", nargs="*", default=DEFAULT_PATHS)
    args = parser.parse_args()
    print("| page | SEO | performance | LCP (s) | CLS | failed SEO audits |")
    print("|---|---|---|---|---|---|")
    for path in args.paths:
        report = run(args.lighthouse, args.base.rstrip("/") + path)
        categories = report["categories"]
        audits = report["audits"]
        seo_refs = categories["seo"]["auditRefs"]
        failed = [
            ref["id"]
            for ref in seo_refs
            if ref.get("weight") and (audits[ref["id"]].get("score") or 0) < 1
        ]
        lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
        cls = audits["cumulative-layout-shift"]["numericValue"]
        print(
            f"| `{path}` | {round(categories['seo']['score'] * 100)} "
            f"| {round(categories['performance']['score'] * 100)} | {lcp:.2f} | {cls:.3f} "
            f"| {', '.join(failed) or '—'} |"
        )


if __name__ == "__main__":
    main()
