"""Every module of the platform stays short enough to do one job.

A module past the limit is split by job, not trimmed of blank lines; a module that is long
for a reason that does not split (a data table, say) is listed here with that reason, so a
new long module fails the suite and a listed one that shrank is taken off the list.
"""

from __future__ import annotations

from tests.architecture.imports import PACKAGES, project_modules

LIMIT = 400

# Modules allowed past LIMIT, each with why it does not split.
KNOWN: dict[str, str] = {}


def line_count(path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def long_modules(packages=None, limit: int = LIMIT) -> dict[str, int]:
    return {
        name: n
        for name, path in sorted(project_modules(packages).items())
        if (n := line_count(path)) > limit
    }


def test_no_module_is_past_the_limit():
    found = {m: n for m, n in long_modules().items() if m not in KNOWN}
    listed = ", ".join(f"{m} ({n})" for m, n in found.items())
    assert not found, f"split by job (over {LIMIT} lines): {listed}"


def test_the_known_list_is_current():
    modules = project_modules()
    stale = [m for m in KNOWN if m not in modules or line_count(modules[m]) <= LIMIT]
    assert not stale, f"no longer long or gone, take off KNOWN: {stale}"
    assert all(KNOWN.values()), "every listed module says why it stays long"


def test_the_check_counts_a_long_module(tmp_path):
    pkg = tmp_path / "component_sites"
    (pkg / "news").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "news" / "__init__.py").write_text("")
    (pkg / "news" / "short.py").write_text("x = 1\n" * 10)
    (pkg / "news" / "long.py").write_text("x = 1\n" * 401)
    assert long_modules({"component_sites": pkg}) == {"component_sites.news.long": 401}
    assert "component_sites" in PACKAGES
