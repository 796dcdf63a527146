"""The home page gathers the site's latest content in a bounded number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tests.component_sites import factories

pytestmark = pytest.mark.django_db


def home_queries(host) -> tuple[int, str]:
    client = Client(HTTP_HOST=host, HTTP_USER_AGENT="Mozilla/5.0")
    client.get("/")  # renditions are made on the first view
    from django.core.cache import cache

    cache.clear()  # measure a page made from the database, not from the page cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response["X-Cache"] == "MISS"
    connection.set_schema_to_public()
    return len(captured.captured_queries), response.content.decode()


def test_home_shows_featured_and_latest_news_and_quick_links(sites):
    with schema_context(sites.commune.schema_name):
        factories.make_articles(
            factories.news_index(), 1, title="Tin nổi bật của xã", featured=True
        )
        for slug in ("tin-thuong-1", "tin-thuong-2"):
            factories.make_articles(
                factories.news_index(), 1, title="Tin thường", slug=slug, with_image=False
            )
    _count, html = home_queries(sites.commune.primary_domain)
    assert 'id="tin-noi-bat"' in html and "Tin nổi bật của xã" in html
    assert html.count("Tin thường") == 2
    assert 'href="/thu-tuc-hanh-chinh/"' in html and "Cổng Dịch vụ công quốc gia" in html


def test_home_query_count_does_not_grow_with_the_content_shown(sites):
    host = sites.commune.primary_domain
    with schema_context(sites.commune.schema_name):
        factories.make_articles(factories.make_category("Nổi bật"), 2, featured=True)
        factories.make_articles(factories.make_category("Thường"), 1)
    few, _html = home_queries(host)
    with schema_context(sites.commune.schema_name):
        factories.make_articles(factories.make_category("Nổi bật 2"), 4, featured=True)
        factories.make_articles(factories.make_category("Thường 2"), 8)
    many, html = home_queries(host)
    assert html.count('class="card article-card"') == 6
    assert many == few
