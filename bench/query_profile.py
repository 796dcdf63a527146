"""The SQL queries of one page render, grouped by table and by caller (any Django project).

Run with the project's own interpreter and settings (``DJANGO_SETTINGS_MODULE`` set, the
project on ``sys.path``); ``bench/bakerydemo.py`` runs it for this platform and for
bakerydemo.  The page is requested ``--warm`` times first (per-process caches filled, as
in a long-running web process), then once more through Django's test client with every
query recorded:

    python bench/query_profile.py --host xa.tinh.localhost --path / [--warm 2] [--json]

Prints the number of queries of that last request and, unless ``--json``, the queries
grouped by table and by the innermost frame of the project's own code that issued them
(library frames, e.g. Wagtail's, are named next to it).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
import traceback
from pathlib import Path

# bench/ itself is not on the path: bench/bakerydemo.py would shadow bakerydemo's package.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE|JOIN)\s+"?([\w.]+)"?', re.IGNORECASE)
LIBRARY_MARK = f"{os.sep}site-packages{os.sep}"


def _tables(sql: str) -> str:
    found = list(dict.fromkeys(TABLE.findall(sql)))
    return found[0] if found else sql.split(None, 1)[0].upper()


def _callers(stack, root: str) -> tuple[str, str]:
    """The innermost frame of the project's code and the innermost non-Django library frame."""
    own = library = ""
    for frame in reversed(stack):
        name = frame.filename
        if (
            not own
            and name.startswith(root)
            and LIBRARY_MARK not in name
            and f"{os.sep}bench{os.sep}" not in name
        ):
            own = f"{os.path.relpath(name, root)}:{frame.lineno} {frame.name}"
        if not library and LIBRARY_MARK in name:
            package = name.split(LIBRARY_MARK, 1)[1]
            if not package.startswith(("django" + os.sep, "psycopg")):
                library = f"{package}:{frame.lineno} {frame.name}"
        if own:
            break
    return own or "(none of the project's frames)", library


def _template() -> str:
    """The innermost Django template being rendered when the query ran, if any."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "render" and frame.f_code.co_filename.endswith(
            os.path.join("django", "template", "base.py")
        ):
            origin = getattr(frame.f_locals.get("self"), "origin", None)
            if origin is not None and getattr(origin, "template_name", None):
                return str(origin.template_name)
        frame = frame.f_back
    return ""


def profile(host: str, path: str, warm: int, root: str) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST=host)
    for _ in range(warm):
        client.get(path)
    recorded: list[dict] = []

    def record(execute, sql, params, many, context):
        own, library = _callers(traceback.extract_stack()[:-1], root)
        recorded.append(
            {
                "sql": sql,
                "table": _tables(sql),
                "caller": own,
                "library": library,
                "template": _template(),
            }
        )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(path)
    return {
        "host": host,
        "path": path,
        "status": response.status_code,
        "x_cache": response.get("X-Cache", ""),
        "queries": len(recorded),
        "recorded": recorded,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--warm", type=int, default=2, help="requests before the measured one")
    parser.add_argument("--root", default=os.getcwd(), help="the project's directory")
    parser.add_argument("--json", action="store_true", help="one JSON object, the SQL included")
    args = parser.parse_args()
    root = str(Path(args.root).resolve())
    result = profile(args.host, args.path, args.warm, root)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(
        f"{args.host}{args.path}: HTTP {result['status']} {result['x_cache']}, "
        f"{result['queries']} queries"
    )
    by_table = collections.Counter(q["table"] for q in result["recorded"])
    print("\nby table:")
    for table, count in by_table.most_common():
        print(f"  {count:3d}  {table}")
    by_caller = collections.Counter(
        (q["caller"], q["library"], q["template"]) for q in result["recorded"]
    )
    print("\nby caller (the project's frame; the library frame under it; the template):")
    for (caller, library, template), count in by_caller.most_common():
        print(
            f"  {count:3d}  {caller}"
            + (f"  [{library}]" if library else "")
            + (f"  <{template}>" if template else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
