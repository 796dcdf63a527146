"""Every page type carries a description, canonical, Dublin Core and Open Graph tags, with
absolute URLs on the site's public origin (PUBLIC_URL_SCHEME / PUBLIC_URL_PORT)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from lxml import html as lxml_html

from component_sites.core.demo import build_demo_content
from tests.component_sites.page_types import page_type_urls

pytestmark = pytest.mark.django_db

# Tags every indexable page has (name or property → required).
REQUIRED = [
    ("name", "description"),
    ("name", "DC.title"),
    ("name", "DC.identifier"),
    ("name", "DC.language"),
    ("name", "DC.publisher"),
    ("property", "og:title"),
    ("property", "og:url"),
    ("property", "og:type"),
    ("property", "og:site_name"),
    ("property", "og:description"),
]


@pytest.fixture
def demo_site(sites, settings):
    settings.PUBLIC_URL_SCHEME = "http"
    settings.PUBLIC_URL_PORT = "8000"
    build_demo_content(sites.direct_commune)
    return sites.direct_commune


def _meta(tree, attribute, name):
    found = tree.xpath(f"//head/meta[@{attribute}=$name]/@content", name=name)
    return found


def _problems(tree, origin, path) -> list[str]:
    problems = []
    for attribute, name in REQUIRED:
        values = _meta(tree, attribute, name)
        if len(values) != 1 or not values[0].strip():
            problems.append(f"{name}: {values!r}")
    canonical = tree.xpath("//head/link[@rel='canonical']/@href")
    expected = f"{origin}{path.split('?')[0]}"
    if canonical != [expected]:
        problems.append(f"canonical {canonical!r} != {expected!r}")
    for attribute, name in (("property", "og:url"), ("name", "DC.identifier")):
        if _meta(tree, attribute, name) != [expected]:
            problems.append(f"{name} {_meta(tree, attribute, name)!r} != {expected!r}")
    return problems


def test_every_page_type_carries_description_canonical_dublin_core_and_open_graph(demo_site):
    host = demo_site.primary_domain
    origin = f"http://{host}:8000"
    with schema_context(demo_site.schema_name):
        urls = page_type_urls()
    assert len(urls) >= 30, urls
    client = Client(HTTP_HOST=host)
    failures = {}
    for kind, path in urls.items():
        response = client.get(path)
        if response.status_code != 200:
            failures[kind] = [f"{path}: {response.status_code}"]
            continue
        problems = _problems(lxml_html.fromstring(response.content), origin, path)
        if problems:
            failures[kind] = [path, *problems]
    assert failures == {}


def test_article_shares_its_title_image_and_type(demo_site):
    from component_sites.news.models import ArticlePage

    with schema_context(demo_site.schema_name):
        article = ArticlePage.objects.live().exclude(featured_image=None).first()
        path = article.url
    tree = lxml_html.fromstring(Client(HTTP_HOST=demo_site.primary_domain).get(path).content)
    assert _meta(tree, "property", "og:type") == ["article"]
    assert _meta(tree, "property", "og:title") == [article.seo_title or article.title]
    image = _meta(tree, "property", "og:image")
    assert len(image) == 1 and image[0].startswith(f"http://{demo_site.primary_domain}:8000/")


def test_english_pages_say_they_are_in_english(demo_site):
    from component_sites.organization.models import EnglishPage

    with schema_context(demo_site.schema_name):
        path = EnglishPage.objects.live().first().url
    tree = lxml_html.fromstring(Client(HTTP_HOST=demo_site.primary_domain).get(path).content)
    assert _meta(tree, "name", "DC.language") == ["en"]
    assert _meta(tree, "property", "og:locale") == ["en_GB"]


def test_search_stays_out_of_the_index(demo_site):
    body = Client(HTTP_HOST=demo_site.primary_domain).get("/tim-kiem/?q=xa").content
    tree = lxml_html.fromstring(body)
    assert tree.xpath("//head/meta[@name='robots']/@content") == ["noindex"]


def test_console_login_has_a_description(db, settings):
    host = settings.CONTROL_DOMAINS[0]
    tree = lxml_html.fromstring(Client(HTTP_HOST=host).get("/console/dang-nhap/").content)
    assert _meta(tree, "name", "description")[0].startswith("Trang quản trị nền tảng")
