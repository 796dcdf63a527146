"""Every page asks for one render-blocking stylesheet (mobile LCP ≤ 1.5 s, issue 18).

On a phone each stylesheet more costs a round trip before anything is painted: the themes'
tokens (``html[data-theme]``) and every section's rules are in ``portal.css``.  Only a site
that set its own colours or banner adds its small ``/giao-dien.css``.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Site

from component_sites.core.demo import build_demo_content
from tests.component_sites.page_types import page_type_urls
from themes.models import SiteBranding

pytestmark = pytest.mark.django_db

STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*>")


def stylesheets(html: str) -> tuple[list[str], list[str]]:
    """The stylesheet links of the page's head, and those of its body."""
    head, _, body = html.partition("</head>")
    return STYLESHEET.findall(head), STYLESHEET.findall(body)


def hrefs(links: list[str]) -> list[str]:
    return [re.search(r'href="([^"]+)"', link).group(1) for link in links]


def test_every_page_type_has_one_stylesheet(sites):
    tenant = sites.direct_commune
    build_demo_content(tenant)  # the demo's urgent notice included: its banner is on every page
    with schema_context(tenant.schema_name):
        urls = page_type_urls()
    urls["search"] = "/tim-kiem/?q=ubnd"
    pages = {kind: (tenant.primary_domain, path) for kind, path in urls.items()}
    pages["scoring results"] = (sites.province.primary_domain, "/ket-qua-danh-gia/")
    pages["console login"] = ("localhost", "/console/dang-nhap/")
    assert len(pages) > 25
    shown = {}
    for kind, (host, path) in pages.items():
        response = Client(HTTP_HOST=host).get(path)
        assert response.status_code == 200, (kind, path)
        html = response.content.decode()
        head, body = stylesheets(html)
        assert hrefs(head) == ["/static/themes/default/portal.css"], (kind, path, head)
        assert body == [], (kind, path, body)
        shown[kind] = html
    # The banner the demo puts on every page (the largest paint of most of them on a phone)
    # is styled by that one stylesheet.
    assert 'class="urgent-notices"' in shown["core.HomePage"]


def test_the_theme_is_named_on_the_page_not_fetched(sites):
    from tenants import lifecycle
    from tenants.models import Tenant

    lifecycle.set_theme(Tenant.objects.get(pk=sites.commune.pk), "lam-ngoc")
    html = Client().get("/", HTTP_HOST=sites.commune.primary_domain).content.decode()
    assert '<html lang="vi" data-theme="lam-ngoc">' in html
    assert hrefs(stylesheets(html)[0]) == ["/static/themes/default/portal.css"]


def test_a_site_with_its_own_colours_adds_only_its_small_stylesheet(sites):
    with schema_context(sites.commune.schema_name):
        branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
        branding.primary_colour = "#14532d"
        branding.save()
    html = Client().get("/", HTTP_HOST=sites.commune.primary_domain).content.decode()
    head, body = stylesheets(html)
    assert hrefs(head)[0] == "/static/themes/default/portal.css"
    assert len(head) == 2 and hrefs(head)[1].startswith("/giao-dien.css?v=")
    assert body == []


def images(html: str, css_class: str) -> list[dict[str, str]]:
    tags = re.findall(r"<img\b[^>]*>", html)
    found = [dict(re.findall(r'([a-z-]+)="([^"]*)"', tag)) for tag in tags]
    return [img for img in found if css_class in img.get("class", "").split()]


def test_the_first_picture_of_a_page_is_fetched_first_the_others_lazily(sites):
    # Lighthouse "lcp-lazy-loaded": the home's lead picture, its top banner and a news list's
    # first card are the largest paint when no urgent banner is on: never lazy, high priority.
    tenant = sites.direct_commune
    build_demo_content(tenant)
    with schema_context(tenant.schema_name):
        urls = page_type_urls()
    client = Client(HTTP_HOST=tenant.primary_domain)
    home = client.get(urls["core.HomePage"]).content.decode()
    news = client.get(urls["news.NewsIndexPage"]).content.decode()
    lead = images(home, "home-lead__image")
    assert len(lead) == 1 and lead[0]["fetchpriority"] == "high" and "loading" not in lead[0]
    assert "480w" in lead[0]["srcset"] and lead[0]["sizes"]
    banners = [img for img in re.findall(r"<img\b[^>]*>", home.split('class="link-banner"', 1)[1])]
    assert 'fetchpriority="high"' in banners[0] and "loading=" not in banners[0]
    cards = images(news, "card__image")
    assert len(cards) > 2
    assert cards[0].get("fetchpriority") == "high" and "loading" not in cards[0]
    assert all(card.get("loading") == "lazy" and "fetchpriority" not in card for card in cards[1:])
    for img in [*lead, *cards]:
        assert img["width"] and img["height"]  # room kept before the picture comes: CLS 0
