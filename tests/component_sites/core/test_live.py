"""Live parts of cached pages: one Redis round trip and no SQL; /_live/ for edge-cached pages."""

import pytest
import redis
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from component_sites.core import counter_flush, counters
from tests.component_sites import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"


class CountersTrips:
    """Counts round trips to the counters' Redis database (commands and pipelines)."""

    def __init__(self, monkeypatch):
        self.trips = 0
        db = counters.client().connection_pool.connection_kwargs.get("db", 0)
        original_command = redis.Redis.execute_command
        original_pipeline = redis.client.Pipeline.execute

        def command(client, *args, **kwargs):
            if client.connection_pool.connection_kwargs.get("db", 0) == db:
                self.trips += 1
            return original_command(client, *args, **kwargs)

        def pipeline(pipe, *args, **kwargs):
            if pipe.connection_pool.connection_kwargs.get("db", 0) == db and pipe.command_stack:
                self.trips += 1
            return original_pipeline(pipe, *args, **kwargs)

        monkeypatch.setattr(redis.Redis, "execute_command", command)
        monkeypatch.setattr(redis.client.Pipeline, "execute", pipeline)


@pytest.fixture
def rated_article(sites):
    schema = sites.commune.schema_name
    with schema_context(schema):
        (article,) = factories.make_articles(factories.news_index(), 1, with_image=False)
        counters.increment("article-rating-5", article.pk, 3)
        counters.increment("article-rating-4", article.pk)
        counters.increment("article-view", article.pk, 41)
        counter_flush.flush_site(schema)  # stored values, and the Redis mirror loaded
        return article.pk, article.url


def test_a_cached_article_runs_no_sql_and_one_redis_trip_for_its_live_parts(
    sites, rated_article, monkeypatch
):
    pk, url = rated_article
    visitor = Client(HTTP_HOST=sites.commune.primary_domain, HTTP_USER_AGENT=BROWSER)
    visitor.get(url)
    assert visitor.get(url)["X-Cache"] == "HIT"  # the domain lookup is cached too
    trips = CountersTrips(monkeypatch)
    with CaptureQueriesContext(connection) as captured:
        response = visitor.get(url)
    assert response["X-Cache"] == "HIT"
    assert [q["sql"] for q in captured.captured_queries] == []
    assert trips.trips == 1  # view counted, visits, views and every star kind read together
    html = response.content.decode()
    assert f'data-live="count:article-view:{pk}">44</span>' in html
    assert f'data-live="average:article-rating:{pk}">4,8</strong>' in html
    assert 'data-live="visits:total">' in html


def test_a_cached_home_runs_no_sql(sites, monkeypatch):
    visitor = Client(HTTP_HOST=sites.commune.primary_domain, HTTP_USER_AGENT=BROWSER)
    visitor.get("/")
    with schema_context(sites.commune.schema_name):
        counter_flush.flush_site(sites.commune.schema_name)
    connection.set_schema_to_public()
    trips = CountersTrips(monkeypatch)
    with CaptureQueriesContext(connection) as captured:
        response = visitor.get("/")
    assert response["X-Cache"] == "HIT"
    assert captured.captured_queries == []
    assert trips.trips == 1


def test_without_the_mirror_live_parts_read_the_table_once(sites, rated_article):
    pk, url = rated_article
    visitor = Client(HTTP_HOST=sites.commune.primary_domain, HTTP_USER_AGENT=BROWSER)
    visitor.get(url)
    counter_flush.forget_mirror(sites.commune.schema_name)  # e.g. Redis emptied
    with CaptureQueriesContext(connection) as captured:
        html = visitor.get(url).content.decode()
    counted = [q for q in captured.captured_queries if "core_storedcounter" in q["sql"]]
    assert len(counted) == 1
    assert f'data-live="count:article-view:{pk}">43</span>' in html  # 41 + these two views


def test_the_mirror_follows_every_flush_without_counting_twice(sites):
    schema = sites.commune.schema_name
    with schema_context(schema):
        counters.increment("article-view", 7, 2)
        counter_flush.flush_site(schema)  # loads the mirror (2)
        counters.increment("article-view", 7, 3)
        assert counters.get_count("article-view", 7) == 5  # stored 2 + pending 3
        counter_flush.flush_site(schema)  # adds 3 to the mirror as it deletes the batch
        with CaptureQueriesContext(connection) as captured:
            assert counters.get_count("article-view", 7) == 5
        assert captured.captured_queries == []
        from component_sites.core.models import StoredCounter

        assert StoredCounter.objects.get(kind="article-view", object_id=7).value == 5


def live(sites, query, agent=BROWSER):
    return Client(HTTP_HOST=sites.commune.primary_domain, HTTP_USER_AGENT=agent).get(
        "/_live/" + query
    )


def test_the_live_endpoint_counts_a_view_and_answers_the_figures(sites, rated_article):
    pk, _url = rated_article
    shown = f"count:article-view:{pk},average:article-rating:{pk},visits"
    query = f"?visit=1&count=article-view:{pk}&show={shown}"
    first = live(sites, query)
    assert first.status_code == 200
    assert first["Cache-Control"] == "no-store"
    values = first.json()["values"]
    assert values[f"count:article-view:{pk}"] == "42"  # 41 stored, and this view
    assert values[f"average:article-rating:{pk}"] == "4,8"
    assert values["visits:online"] == "1"
    assert live(sites, query).json()["values"][f"count:article-view:{pk}"] == "43"


def test_robots_are_answered_but_not_counted(sites, rated_article):
    pk, _url = rated_article
    query = f"?visit=1&count=article-view:{pk}&show=count:article-view:{pk}"
    live(sites, query, agent="Googlebot/2.1")
    assert (
        live(sites, query, agent="Googlebot/2.1").json()["values"][f"count:article-view:{pk}"]
        == "41"  # stored; neither robot view counted
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?count=visits:total:0", "Bộ đếm này không được đếm"),
        ("?count=article-view:abc", "Bộ đếm này không được đếm"),
        ("?show=count:Bad Kind:1", "Không hiểu mục cần hiển thị"),
        ("?show=" + ",".join(f"count:article-view:{n}" for n in range(41)), "Tối đa 40 mục"),
    ],
)
def test_bad_requests_to_the_live_endpoint_are_refused_in_vietnamese_and_count_nothing(
    sites, query, message
):
    response = live(sites, query)
    assert response.status_code == 400
    assert message in response.json()["error"]
    with schema_context(sites.commune.schema_name):
        assert counters.get_count("visits:total", 0) == 0


def test_behind_an_edge_cache_pages_name_their_counter_and_load_the_script(sites, rated_article):
    pk, url = rated_article
    visitor = Client(HTTP_HOST=sites.commune.primary_domain, HTTP_USER_AGENT=BROWSER)
    with override_settings(EDGE_CACHE_URL="http://127.0.0.1:9"):
        html = visitor.get(url).content.decode()
        visitor.get(url)
    assert f'<meta name="portal-count" content="article-view:{pk}">' in html
    assert "/static/core/live.js" in html
    # The edge serves the page without Django: the view is left to /_live/.
    with schema_context(sites.commune.schema_name):
        assert counters.get_count("article-view", pk) == 41


def test_behind_an_edge_cache_the_console_loads_no_live_script(sites):
    # The control domain has no /_live/: the script would only put a 404 in the browser's
    # console (Lighthouse best practices, "errors-in-console", on the console login).
    with override_settings(EDGE_CACHE_URL="http://127.0.0.1:9"):
        login = Client(HTTP_HOST="localhost").get("/console/dang-nhap/")
        home = Client(HTTP_HOST=sites.commune.primary_domain, HTTP_USER_AGENT=BROWSER).get("/")
        live = Client(HTTP_HOST="localhost").get("/_live/?visit=1")
    assert login.status_code == 200
    assert "/static/core/live.js" not in login.content.decode()
    assert live.status_code == 404
    assert "/static/core/live.js" in home.content.decode()
