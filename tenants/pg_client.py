"""The PostgreSQL client binaries (``pg_dump``, ``pg_restore``) and their environment.

A client must be at least the server's major version.  Looked for in ``PG_BIN_DIR``, then
the embedded ``pgserver`` package, then ``/usr/lib/postgresql/<n>/bin``, then ``PATH``.
Used by site backups (``tenants.backup``) and by the template copy (``tenants.schema_copy``).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def major_version(binary: str) -> int | None:
    try:
        out = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out.split(")")[-1])
    return int(match.group(1)) if match else None


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def find_client(name: str) -> str | None:
    """A ``pg_dump``/``pg_restore`` whose major version is at least the server's, or None."""
    wanted = server_major()
    dirs = []
    if getattr(settings, "PG_BIN_DIR", ""):
        dirs.append(settings.PG_BIN_DIR)
    try:
        import pgserver

        dirs.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin"))
    except ImportError:
        pass
    dirs += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates = [str(Path(d) / name) for d in dirs] + [shutil.which(name) or ""]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            major = major_version(candidate)
            if major is not None and major >= wanted:
                return candidate
    return None


def pg_env() -> dict[str, str]:
    """The environment a client needs to reach the database Django uses.

    ``PG_TOOLS_DATABASE_URL``, when set, names the same database reached straight (Django's
    own connection may go through PgBouncer in transaction mode, where pg_dump cannot work);
    the database name is always Django's (a test database stays the test database).
    """
    params = dict(connection.settings_dict)
    direct = getattr(settings, "PG_TOOLS_DATABASE_URL", "")
    if direct:
        parsed = urlsplit(direct)
        if parsed.scheme not in ("postgres", "postgresql", "pgsql") or not parsed.hostname:
            raise ImproperlyConfigured(
                "PG_TOOLS_DATABASE_URL phải có dạng postgres://người_dùng:mật_khẩu@máy:cổng/csdl"
            )
        params.update(
            HOST=unquote(parsed.hostname),
            PORT=parsed.port or 5432,
            USER=unquote(parsed.username or "") or params["USER"],
            PASSWORD=unquote(parsed.password or "") or params.get("PASSWORD"),
        )
    env = {**os.environ, "PGHOST": params["HOST"] or "", "PGPORT": str(params["PORT"] or "")}
    env["PGUSER"] = params["USER"] or ""
    env["PGDATABASE"] = params["NAME"]
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return {k: v for k, v in env.items() if v != "" or k not in ("PGHOST", "PGPORT", "PGUSER")}
