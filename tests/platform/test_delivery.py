"""Delivery: compressed HTML/CSS/JSON, fingerprinted and pre-compressed static files in
production, WebP renditions with a srcset on the home page's lead picture."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys

import pytest
from django.test import Client, override_settings
from django_tenants.utils import schema_context

from tests.component_sites import factories

pytestmark = pytest.mark.django_db

HOST = "doclap.hoabinh.test.localhost"


@pytest.mark.parametrize("path", ["/", "/static/themes/default/portal.css", "/api/v1/"])
def test_html_css_and_json_are_sent_compressed(sites, path):
    # WhiteNoise serves the static files from the finders, as in development.
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client(HTTP_HOST=HOST).get(path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] in ("gzip", "br")
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Encoding"] == "gzip":
        assert len(gzip.decompress(body)) > len(body)


def test_a_client_without_compression_gets_plain_bodies(sites):
    response = Client(HTTP_HOST=HOST).get("/")
    assert "Content-Encoding" not in response
    assert response.content.startswith(b"<!DOCTYPE html>")


def test_production_fingerprints_and_precompresses_static_files():
    # A process of its own: the test settings already changed the shared STORAGES here.
    environment = {
        **os.environ,
        "SECRET_KEY": "x" * 50,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CONTROL_DOMAINS": "quantri.tinh.gov.vn",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    }
    environment.setdefault("DATABASE_URL", "postgres://localhost/x")
    code = (
        "from django.conf import settings; from whitenoise.compress import Compressor; "
        "print(settings.STORAGES['staticfiles']['BACKEND'], Compressor(quiet=True).use_brotli, "
        "settings.PUBLIC_URL_SCHEME)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    # Hashed names (WhiteNoise sends a ten-year immutable cache for them) and .gz/.br files
    # written at collectstatic (brotli installed).
    assert run.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
        "https",
    ]


def test_renditions_are_webp_and_the_home_lead_has_a_srcset(sites):
    with schema_context(sites.direct_commune.schema_name):
        image = factories.make_image("Cánh đồng")
        assert image.get_rendition("fill-40x40").url.endswith(".webp")
        factories.make_articles(factories.news_index(), 1, featured=True)
    html = Client(HTTP_HOST=HOST).get("/").content.decode()
    lead = html.split('class="home-lead__image"', 1)[1].split(">", 1)[0]
    assert 'srcset="' in lead and 'sizes="' in lead
    assert len(re.findall(r"\.webp \d+w", lead)) == 2
