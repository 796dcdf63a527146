"""Delivery: compressed HTML/CSS/JSON, fingerprinted and pre-compressed static files in
production, WebP renditions with a srcset on the home page's lead picture."""

from __future__ import annotations

import gzip
import importlib
import os

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.component_sites import factories

pytestmark = pytest.mark.django_db

HOST = "doclap.hoabinh.test.localhost"


@pytest.mark.parametrize("path", ["/", "/static/themes/default/portal.css", "/api/v1/"])
def test_html_css_and_json_are_sent_compressed(sites, path):
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


def test_production_fingerprints_and_precompresses_static_files(monkeypatch):
    for name, value in {
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://localhost/x"),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CONTROL_DOMAINS": "quantri.tinh.gov.vn",
    }.items():
        monkeypatch.setenv(name, value)
    production = importlib.import_module("portal.settings.production")
    storage = production.STORAGES["staticfiles"]["BACKEND"]
    # Hashed names (a far-future, immutable cache: WhiteNoise sends max-age of ten years
    # for them) and .gz/.br files written at collectstatic.
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    from whitenoise.compress import Compressor

    assert Compressor(quiet=True).use_brotli, "brotli missing: WhiteNoise writes no .br files"
    assert production.PUBLIC_URL_SCHEME == "https"


def test_renditions_are_webp_and_the_home_lead_has_a_srcset(sites):
    with schema_context(sites.direct_commune.schema_name):
        image = factories.make_image("Cánh đồng")
        assert image.get_rendition("fill-40x40").url.endswith(".webp")
        factories.make_articles(factories.news_index(), 1, featured=True)
    html = Client(HTTP_HOST=HOST).get("/").content.decode()
    lead = html.split('class="home-lead__image"', 1)[1].split(">", 1)[0]
    assert 'srcset="' in lead and 'sizes="' in lead
    assert lead.count(".webp ") == 2 and lead.count("w,") == 1
