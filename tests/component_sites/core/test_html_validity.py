"""The Nu HTML Checker (vnu.jar, the W3C validator's engine) finds no error on any page type.

vnu.jar comes from the npm package ``vnu-jar`` (pinned below): ``VNU_JAR`` points at it, or
it is fetched once into ``var/vnu/`` with ``npm pack``.  It needs Java 11+; without Java
the test is skipped and says so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.core.demo import build_demo_content
from tests.component_sites.page_types import page_type_urls

pytestmark = pytest.mark.django_db

VNU_VERSION = "26.9.27"
VAR = Path(__file__).resolve().parents[3] / "var" / "vnu"


def vnu_jar() -> Path:
    import os

    configured = os.environ.get("VNU_JAR")
    if configured:
        return Path(configured)
    jar = VAR / "package" / "build" / "dist" / "vnu.jar"
    if not jar.exists():
        if not shutil.which("npm"):
            pytest.fail("vnu.jar missing: set VNU_JAR or install npm to fetch vnu-jar")
        VAR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", f"vnu-jar@{VNU_VERSION}", "--silent"],
            cwd=VAR,
            check=True,
            capture_output=True,
            timeout=300,
        )
        with tarfile.open(VAR / f"vnu-jar-{VNU_VERSION}.tgz") as archive:
            archive.extractall(VAR, filter="data")
    return jar


@pytest.fixture
def java():
    path = shutil.which("java")
    if path is None:
        pytest.skip("Java is not installed: the Nu HTML Checker (vnu.jar) needs Java 11 or later")
    return path


def validate(java: str, documents: dict[str, bytes], workdir: Path) -> dict[str, list[str]]:
    """Errors per document name, from one run of vnu over every file."""
    files = {}
    for number, (name, body) in enumerate(documents.items()):
        path = workdir / f"page-{number}.html"
        path.write_bytes(body)
        files[path.name] = name
    run = subprocess.run(
        [
            java,
            "-jar",
            str(vnu_jar()),
            "--format",
            "json",
            "--errors-only",
            *map(str, workdir.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "?")
        name = files.get(url.rsplit("/", 1)[-1], url)
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')} "
            f"[{message.get('extract', '').strip()[:80]}]"
        )
    return errors


def test_the_checker_finds_errors_when_there_are_some(java, tmp_path):
    broken = (
        b'<!DOCTYPE html><html lang="vi"><head><title>x</title></head><body>'
        b'<form action=""></form><p id="a" id="b">x</p></body></html>'
    )
    assert validate(java, {"broken": broken}, tmp_path)["broken"]


def test_every_page_type_is_valid_html(java, sites, tmp_path):
    tenant = sites.direct_commune
    build_demo_content(tenant)
    with schema_context(tenant.schema_name):
        urls = page_type_urls()
    urls["search"] = "/tim-kiem/?q=ubnd"
    client = Client(HTTP_HOST=tenant.primary_domain)
    documents = {}
    for kind, path in urls.items():
        response = client.get(path)
        assert response.status_code == 200, (kind, path, response.status_code)
        documents[f"{kind} {path}"] = response.content
    # The question form after a failed submission shows its errors next to the fields.
    ask = urls["questions:ask"]
    failed = client.post(ask, {"title": ""})
    documents[f"questions:ask (errors) {ask}"] = failed.content
    assert validate(java, documents, tmp_path) == {}
