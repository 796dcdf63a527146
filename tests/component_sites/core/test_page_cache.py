"""Anonymous pages served from Redis, purged on publish; visits counted on every view."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from component_sites.core import counters, live, page_cache, visits
from tenants import lifecycle
from tenants.models import Tenant
from tests.component_sites import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"


@pytest.fixture
def visitor(sites):
    return Client(HTTP_HOST=sites.commune.primary_domain, HTTP_USER_AGENT=BROWSER)


def test_a_second_anonymous_view_comes_from_redis_without_touching_content_tables(visitor):
    first = visitor.get("/tin-tuc/")
    assert first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as captured:
        second = visitor.get("/tin-tuc/")
    assert second["X-Cache"] == "HIT"
    # Only the live figures differ (this view is counted in them).
    live_value = re.compile(rb'(data-live="[^"]+">)[^<]*<')
    assert live_value.sub(rb"\1<", second.content) == live_value.sub(rb"\1<", first.content)
    assert not [q for q in captured.captured_queries if "wagtailcore_page" in q["sql"]]


def test_a_purge_stamps_a_new_generation_at_once_and_again_at_the_commit(
    sites, django_capture_on_commit_callbacks
):
    with schema_context(sites.commune.schema_name):
        with django_capture_on_commit_callbacks(execute=True):
            page_cache.purge_site()
            # What a request reading the old rows before the commit would store under.
            inside = page_cache.cache.get(page_cache.GENERATION_KEY)
            assert inside
        after = page_cache.cache.get(page_cache.GENERATION_KEY)
    assert after and after != inside


def test_publishing_purges_the_listing_that_shows_the_page(sites, visitor):
    visitor.get("/tin-tuc/")
    with schema_context(sites.commune.schema_name):
        (article,) = factories.make_articles(factories.news_index(), 1, with_image=False)
        article.title = "Khai mạc Hội chợ nông sản"
        article.save_revision().publish()
    connection.set_schema_to_public()
    response = visitor.get("/tin-tuc/")
    assert response["X-Cache"] == "MISS"
    assert "Khai mạc Hội chợ nông sản" in response.content.decode()


def test_a_console_change_purges_the_sites_pages(sites, visitor):
    visitor.get("/")
    # A fresh copy: the session's site objects must keep their names for other tests.
    lifecycle.rename(Tenant.objects.get(pk=sites.commune.pk), "Xã Nhuận Trạch Mới")
    assert "Ủy ban nhân dân xã Nhuận Trạch Mới" in visitor.get("/").content.decode()


def test_signed_in_visitors_are_never_served_from_the_cache(sites, visitor):
    visitor.get("/")
    visitor.cookies["sessionid"] = "bat-ky"
    assert "X-Cache" not in visitor.get("/")


def test_a_page_with_an_urgent_banner_lives_only_until_the_banner_changes(sites):
    from component_sites.notices.models import UrgentNotice

    with schema_context(sites.commune.schema_name):
        UrgentNotice.objects.create(
            title="Cảnh báo",
            message="Mưa lớn",
            starts_at=timezone.now() + dt.timedelta(seconds=40),
            ends_at=timezone.now() + dt.timedelta(hours=2),
        )
        assert 1 <= page_cache._lifetime() <= 41


def test_a_view_counts_a_visit_in_redis_and_the_footer_shows_live_figures(sites, visitor):
    schema = sites.commune.schema_name
    visitor.get("/")
    visitor.get("/")  # from the cache, counted all the same
    with schema_context(schema):
        assert counters.get_count(visits.TOTAL, 0) == 2
        assert counters.get_count(visits.day_kind(), 0) == 2
    html = visitor.get("/gioi-thieu/").content.decode()
    assert "Thống kê truy cập" in html and "<!--portal:visit-counters-->" not in html
    assert '<dt>Đang trực tuyến</dt><dd data-live="visits:online">1</dd>' in html


def test_robots_and_monitors_are_not_counted(sites):
    Client(HTTP_HOST=sites.commune.primary_domain, HTTP_USER_AGENT="Googlebot/2.1").get("/")
    with schema_context(sites.commune.schema_name):
        assert counters.get_count(visits.TOTAL, 0) == 0


def test_pages_are_served_when_the_page_cache_and_counters_fail(sites, visitor, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis không phản hồi")

    monkeypatch.setattr(page_cache, "_generation", down)
    monkeypatch.setattr(visits, "record_visit", down)
    response = visitor.get("/tin-tuc/")
    assert response.status_code == 200
    assert "<!--portal:" not in response.content.decode()


def test_a_cached_page_shows_live_star_averages(sites):
    schema = sites.commune.schema_name
    page = (
        b"<p><!--portal:average:article-rating:42--> / <!--portal:average:article-rating:43--></p>"
    )
    with schema_context(schema):
        counters.increment("article-rating-5", 42, 2)
        counters.increment("article-rating-3", 42)
        assert live.fill(page, live.read(live.parts_in(page))) == "<p>4,3 / –</p>".encode()
