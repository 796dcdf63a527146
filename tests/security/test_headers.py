"""Response headers: a strict Content-Security-Policy per area, the other security headers,
the violation reports, and ``check --deploy`` clean with the production settings."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from portal.csp import COUNTER_KEY, widget_script_hashes
from themes.head_script import HEAD_SCRIPT, HEAD_SCRIPT_HASH, source_hash

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOST = "doclap.hoabinh.test.localhost"


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_public_pages_allow_no_inline_code_but_the_head_script(client, sites):
    response = client.get("/", HTTP_HOST=HOST)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", HEAD_SCRIPT_HASH]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["report-uri"] == ["/csp-report/"]
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    assert [source_hash(body) for body in inline] == [HEAD_SCRIPT_HASH]
    assert HEAD_SCRIPT in html
    assert not re.search(r"\sstyle=", html)
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_the_other_headers(client, sites):
    response = client.get("/", HTTP_HOST=HOST)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in features


def test_cached_pages_carry_the_same_policy(client, sites):
    first = client.get("/", HTTP_HOST=HOST)
    again = client.get("/", HTTP_HOST=HOST)
    assert again.get("X-Cache") in (None, "HIT")
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_console_has_the_public_policy(client, sites):
    response = client.get("/console/dang-nhap/", HTTP_HOST="localhost", follow=True)
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_admin_policy_allows_script_files_only(client, sites):
    response = client.get("/admin/login/", HTTP_HOST=HOST)
    policy = _directives(response["Content-Security-Policy"])
    # The login page starts no widget: nothing but the site's own files.
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_only_wagtails_widget_calls_are_allowed_in_the_admin():
    allowed = [
        'initDateChooser("id_last_login_0", {"dayOfWeekStart": 1, "format": "Y-m-d"});',
        'new ImageChooser("id_featured_image", {"modalUrl": "/admin/images/chooser/"});',
        "\n(function() {\n  var panel = new InlinePanel(JSON.parse("
        '"{\\u0022type\\u0022: \\u0022InlinePanel\\u0022}"));\n})();\n',
    ]
    refused = [
        "alert(document.cookie)",
        'initDateChooser("id_x", {}); fetch("/admin/users/");',
        'initDateChooser("id_x", {"a": 1}), alert(1);',
        'new ImageChooser("id_x" + alert(1), {});',
        'new ImageChooser("id_x", {"a": 1});\nalert(1);',
        '(function() { var panel = new InlinePanel(JSON.parse("x")); alert(1); })();',
    ]
    html = "".join(f"<script>{code}</script>" for code in allowed + refused)
    html += '<script type="application/json">{"a": 1}</script>'
    assert widget_script_hashes(html) == [source_hash(code) for code in allowed]


def test_violation_reports_are_counted_and_bad_ones_refused(client, sites):
    cache.delete(COUNTER_KEY)
    report = {
        "csp-report": {
            "document-uri": f"http://{HOST}/",
            "effective-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    body = json.dumps(report)
    response = client.post(
        "/csp-report/", body, content_type="application/csp-report", HTTP_HOST=HOST
    )
    assert response.status_code == 204
    reporting_api = [{"type": "csp-violation", "body": {"documentURL": "x", "blockedURL": "y"}}]
    response = client.post(
        "/csp-report/",
        json.dumps(reporting_api),
        content_type="application/reports+json",
        HTTP_HOST=HOST,
    )
    assert response.status_code == 204
    assert cache.get(COUNTER_KEY) == 2
    assert (
        client.post(
            "/csp-report/", "{not json", content_type="application/json", HTTP_HOST=HOST
        ).status_code
        == 400
    )
    big = json.dumps({"csp-report": {"x": "a" * 20_000}})
    assert (
        client.post(
            "/csp-report/", big, content_type="application/json", HTTP_HOST=HOST
        ).status_code
        == 413
    )
    assert client.get("/csp-report/", HTTP_HOST=HOST).status_code == 405
    assert cache.get(COUNTER_KEY) == 2


def test_site_stylesheet_carries_the_colours_and_banner(client, sites):
    from django_tenants.utils import schema_context
    from wagtail.models import Site

    from themes.models import SiteBranding

    with schema_context(sites.direct_commune.schema_name):
        site = Site.objects.get(is_default_site=True)
        branding, _ = SiteBranding.objects.get_or_create(site=site)
        branding.primary_colour = "#123456"
        branding.save()
    home = client.get("/", HTTP_HOST=HOST).content.decode()
    link = re.search(r'href="(/giao-dien\.css\?v=[0-9a-f]+)"', home)
    assert link, "the page links the site's stylesheet"
    css = client.get(link.group(1), HTTP_HOST=HOST)
    assert css["Content-Type"].startswith("text/css")
    assert "--brand:#123456" in css.content.decode()
    assert "immutable" in css["Cache-Control"]
    stale = client.get("/giao-dien.css?v=0", HTTP_HOST=HOST)
    assert "immutable" not in stale["Cache-Control"]


def test_check_deploy_is_clean_with_production_settings():
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not reach a production check.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "CONTROL_DOMAINS": "quantri.tinh.gov.vn",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
