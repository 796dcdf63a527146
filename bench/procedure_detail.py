"""Benchmark: what the official detail costs the demo catalogue's import and syndication.

The same 144 procedures of ``demo_catalogue.json.gz`` twice, side by side in one run: with
their structured detail (steps, ways, dossier, legal documents) and stripped to codes,
names and text fields.  Measured: the import into the master catalogue (validation, one
version each) and writing every copy into site schemas with the bulk upsert that
``make run`` and the worker use (one ``INSERT … ON CONFLICT`` per site).  Runs against a
scratch database (portal_bench_detail) on the server of DATABASE_URL.

    python bench/procedure_detail.py [--sites 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scratch  # noqa: E402

scratch.SCRATCH_DB = "portal_bench_detail"
STRUCTURE = (
    "step_list",
    "submission_ways",
    "dossier_items",
    "legal_documents",
    "subjects",
    "competent_body",
    "national_url",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    url = scratch.setup_scratch_platform()
    from django.db import connection

    from tenants.procedures.management.commands.import_procedures import DEMO_FILE
    from tenants.procedures.models import Procedure, ProcedureVersion
    from tenants.procedures.syndication import upsert_copies
    from tenants.procedures.transfer import import_file

    catalogue = json.loads(gzip.decompress(DEMO_FILE.read_bytes()))
    rich = catalogue["procedures"]
    plain = [{k: v for k, v in r.items() if k not in STRUCTURE} for r in rich]
    files = {
        "rich": json.dumps({"procedures": rich}, ensure_ascii=False).encode(),
        "text only": json.dumps({"procedures": plain}, ensure_ascii=False).encode(),
    }
    with connection.cursor() as cursor:
        for i in range(args.sites):
            cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "b_{i}"')
            cursor.execute(
                f'CREATE TABLE IF NOT EXISTS "b_{i}".procedures_procedurecopy '
                "(LIKE tpl_commune.procedures_procedurecopy INCLUDING ALL)"
            )
    results: dict[str, dict[str, list[float]]] = {k: {"import": [], "sites": []} for k in files}
    for _round in range(args.rounds):
        for kind, content in files.items():
            Procedure.objects.all().delete()
            with connection.cursor() as cursor:
                for i in range(args.sites):
                    cursor.execute(f'TRUNCATE "b_{i}".procedures_procedurecopy')
            started = time.perf_counter()
            report = import_file("demo.json", content)
            results[kind]["import"].append(time.perf_counter() - started)
            assert not report.errors, report.errors[:3]
            versions = list(ProcedureVersion.objects.all())
            started = time.perf_counter()
            for i in range(args.sites):
                upsert_copies(f"b_{i}", versions)
            results[kind]["sites"].append(time.perf_counter() - started)

    size = {kind: len(content) for kind, content in files.items()}
    print(f"{len(rich)} procedures, {args.sites} site schemas, {args.rounds} rounds (median)")
    print(f"{'':28} {'rich':>10} {'text only':>10} {'ratio':>7}")
    rows = [
        ("file size (kB)", size["rich"] / 1000, size["text only"] / 1000),
        (
            "import into public (s)",
            statistics.median(results["rich"]["import"]),
            statistics.median(results["text only"]["import"]),
        ),
        (
            f"copies to {args.sites} sites (s)",
            statistics.median(results["rich"]["sites"]),
            statistics.median(results["text only"]["sites"]),
        ),
        (
            "per site (ms)",
            1000 * statistics.median(results["rich"]["sites"]) / args.sites,
            1000 * statistics.median(results["text only"]["sites"]) / args.sites,
        ),
    ]
    for label, a, b in rows:
        print(f"{label:28} {a:10.2f} {b:10.2f} {a / b:7.2f}")
    connection.close()
    scratch.drop_scratch(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
