"""One public origin per site (scheme, host, port) behind every absolute URL it writes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from lxml import html as lxml_html

from component_sites.core.origin import absolute_url, origin_for_host, site_origin
from tests.component_sites.factories import make_articles, news_index

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.parametrize(
    ("scheme", "port", "expected"),
    [
        ("http", "8000", "http://xa.test:8000"),
        ("http", "80", "http://xa.test"),
        ("https", "", "https://xa.test"),
        ("https", "443", "https://xa.test"),
        ("https", "8443", "https://xa.test:8443"),
        ("HTTPS", None, "https://xa.test"),
    ],
)
def test_origin_takes_scheme_and_port_from_the_settings(settings, scheme, port, expected):
    settings.PUBLIC_URL_SCHEME = scheme
    settings.PUBLIC_URL_PORT = port
    assert origin_for_host("Xa.Test.") == expected


@pytest.fixture(params=[("http", "8000"), ("https", "")], ids=["demo", "https"])
def public(request, settings, sites):
    settings.PUBLIC_URL_SCHEME, settings.PUBLIC_URL_PORT = request.param
    tenant = sites.commune
    scheme, port = request.param
    origin = f"{scheme}://{tenant.primary_domain}" + (f":{port}" if port else "")
    with schema_context(tenant.schema_name):
        article = make_articles(news_index(), 1, with_image=False, title="Tin có địa chỉ")[0]
        path = article.url
    return tenant, origin, path


def test_outside_a_request_the_origin_is_the_current_schemas_primary_domain(public):
    tenant, origin, path = public
    with schema_context(tenant.schema_name):
        assert site_origin() == origin
        assert absolute_url("/lien-he/") == f"{origin}/lien-he/"
    assert site_origin(tenant=tenant) == origin


def test_canonical_og_url_and_dublin_core_identifier_use_the_origin(public):
    tenant, origin, path = public
    tree = lxml_html.fromstring(Client(HTTP_HOST=tenant.primary_domain).get(path).content)
    assert tree.xpath("//link[@rel='canonical']/@href") == [f"{origin}{path}"]
    assert tree.xpath("//meta[@property='og:url']/@content") == [f"{origin}{path}"]
    assert tree.xpath("//meta[@name='DC.identifier']/@content") == [f"{origin}{path}"]


def test_share_links_and_the_print_view_carry_the_origin(public):
    tenant, origin, path = public
    client = Client(HTTP_HOST=tenant.primary_domain)
    tree = lxml_html.fromstring(client.get(path).content)
    facebook = tree.xpath("//a[contains(@href, 'facebook.com/sharer')]/@href")[0]
    assert parse_qs(urlsplit(facebook).query)["u"] == [f"{origin}{path}"]
    zalo = tree.xpath("//a[contains(@href, 'zalo.me')]/@href")[0]
    assert parse_qs(urlsplit(zalo).query)["d"] == [f"{origin}{path}"]
    printed = client.get(f"{path}ban-in/").content.decode()
    assert f"Địa chỉ bài viết: {origin}{path}" in printed


def test_sitemap_robots_and_rss_carry_the_origin(public):
    tenant, origin, path = public
    client = Client(HTTP_HOST=tenant.primary_domain)
    locs = [
        loc.text
        for loc in ET.fromstring(client.get("/sitemap.xml").content).findall(
            "s:url/s:loc", SITEMAP_NS
        )
    ]
    assert f"{origin}{path}" in locs
    assert all(loc.startswith(f"{origin}/") for loc in locs)
    assert f"Sitemap: {origin}/sitemap.xml" in client.get("/robots.txt").content.decode()
    channel = ET.fromstring(client.get("/rss/").content).find("channel")
    assert channel.findtext("link") == f"{origin}/"
    links = [item.findtext("link") for item in channel.findall("item")]
    assert f"{origin}{path}" in links


def test_parent_site_link_and_member_sites_use_their_origin(public, sites):
    tenant, origin, path = public
    scheme = origin.split(":")[0]
    port = ":8000" if scheme == "http" else ""
    tree = lxml_html.fromstring(Client(HTTP_HOST=tenant.primary_domain).get("/").content)
    parent = tree.xpath("//p[@class='breadcrumb-up']/a/@href")
    assert parent == [f"{scheme}://{sites.district.primary_domain}{port}/"]
    province = lxml_html.fromstring(
        Client(HTTP_HOST=sites.province.primary_domain).get("/").content
    )
    assert f"{scheme}://{sites.district.primary_domain}{port}/" in province.xpath("//a/@href")


def test_tenant_primary_url_uses_the_origin(public):
    tenant, origin, _path = public
    assert tenant.primary_url() == f"{origin}/"
