"""The real edge cache (Varnish, deploy/varnish/portal.vcl) in front of a live server.

A module starts Django's threaded live server and Varnish before it (bench/edge_cache.py,
Debian's varnishd), with ``EDGE_CACHE_URL`` pointing the platform's purges at it, then
speaks HTTP to Varnish as a visitor would: hits, bans on publish and on an urgent notice,
no page of one site on another, nothing cached for a session, a CSRF cookie or a POST,
tracking parameters off the key and unknown ones not stored.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import requests
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django.utils import timezone
from django_tenants.utils import schema_context

from bench.edge_cache import edge_cache
from tests.committed import committed
from tests.component_sites import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("varnishd"), reason="apt-get install varnish"),
]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"


@pytest.fixture(scope="module")
def edge(sites, django_db_blocker):
    """``get(host, path, **kw)`` through Varnish, in front of the live server."""
    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", _handler(), port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            with edge_cache("127.0.0.1", thread.port) as port:
                base = f"http://127.0.0.1:{port}"
                with override_settings(
                    EDGE_CACHE_URL=base,
                    WAGTAILFRONTENDCACHE={
                        "edge": {
                            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                            "LOCATION": base,
                        }
                    },
                ):
                    yield Edge(base)
        finally:
            thread.terminate()


def _handler():
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    return StaticFilesHandler


class Edge:
    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def request(self, method, host, path, *, cookies=None, **kwargs):
        headers = {"Host": host, "User-Agent": BROWSER, **kwargs.pop("headers", {})}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return requests.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )

    def get(self, host, path, **kwargs):
        return self.request("GET", host, path, **kwargs)

    def ban_all(self, *hosts):
        for host in hosts:
            assert self.request("PURGE", host, "/").status_code == 200


@pytest.fixture
def hosts(sites, edge):
    commune, other = sites.commune.primary_domain, sites.direct_commune.primary_domain
    edge.ban_all(commune, other)  # each test starts from an empty edge
    return commune, other


def _cleanup_pages(schema, pks):
    def delete():
        from wagtail.models import Page

        for page in Page.objects.filter(pk__in=pks).order_by("-depth"):
            page.specific.delete()

    committed(delete, schema)


def test_a_second_view_is_served_by_the_edge_with_validators(edge, hosts):
    commune, _ = hosts
    first = edge.get(commune, "/tin-tuc/")
    second = edge.get(commune, "/tin-tuc/")
    assert first.status_code == second.status_code == 200
    assert first.headers["X-Edge-Cache"] == "MISS"
    assert second.headers["X-Edge-Cache"] == "HIT"
    assert second.headers["ETag"] and second.headers["Last-Modified"]
    # Browsers and other proxies revalidate: only the edge is purged on publish.
    assert second.headers["Cache-Control"] == "no-cache"
    again = edge.get(commune, "/tin-tuc/", headers={"If-None-Match": second.headers["ETag"]})
    assert again.status_code == 304


def test_publishing_an_article_bans_the_sites_listing_and_home_at_once(sites, edge, hosts):
    commune, other = hosts
    schema = sites.commune.schema_name
    for path in ("/", "/tin-tuc/"):
        edge.get(commune, path)
        assert edge.get(commune, path).headers["X-Edge-Cache"] == "HIT"
    edge.get(other, "/tin-tuc/")

    def make_draft():
        (article,) = factories.make_articles(
            factories.news_index(), 1, with_image=False, live=False, title="Bão số 9 đổ bộ"
        )
        return article.pk

    pk = committed(make_draft, schema)
    try:
        assert "Bão số 9 đổ bộ" not in edge.get(commune, "/tin-tuc/").text

        def publish():
            from component_sites.news.models import ArticlePage

            ArticlePage.objects.get(pk=pk).save_revision().publish()

        committed(publish, schema)
        listing = edge.get(commune, "/tin-tuc/")
        assert listing.headers["X-Edge-Cache"] == "MISS"
        assert "Bão số 9 đổ bộ" in listing.text
        assert "Bão số 9 đổ bộ" in edge.get(commune, "/").text
        # The other site's pages stay cached and never show the first site's article.
        untouched = edge.get(other, "/tin-tuc/")
        assert untouched.headers["X-Edge-Cache"] == "HIT"
        assert "Bão số 9 đổ bộ" not in untouched.text

        def unpublish():
            from component_sites.news.models import ArticlePage

            ArticlePage.objects.get(pk=pk).unpublish()

        committed(unpublish, schema)
        assert "Bão số 9 đổ bộ" not in edge.get(commune, "/tin-tuc/").text
    finally:
        _cleanup_pages(schema, [pk])


def test_an_urgent_notice_is_on_every_cached_page_as_soon_as_it_is_saved(sites, edge, hosts):
    from component_sites.notices.models import UrgentNotice

    commune, _ = hosts
    schema = sites.commune.schema_name
    for path in ("/", "/tin-tuc/"):
        edge.get(commune, path)

    def start():
        return UrgentNotice.objects.create(
            title="Cảnh báo lũ quét",
            message="Người dân vùng trũng di chuyển ngay.",
            starts_at=timezone.now() - dt.timedelta(seconds=1),
            ends_at=timezone.now() + dt.timedelta(hours=1),
        ).pk

    pk = committed(start, schema)
    try:
        for path in ("/", "/tin-tuc/"):
            assert "Cảnh báo lũ quét" in edge.get(commune, path).text
        # The page is kept no longer than until the banner ends.
        response = edge.get(commune, "/tin-tuc/")
        assert response.headers["X-Edge-Cache"] == "HIT"
        assert int(response.headers["Age"]) <= 3600
    finally:
        committed(lambda: UrgentNotice.objects.filter(pk=pk).delete(), schema)
    assert "Cảnh báo lũ quét" not in edge.get(commune, "/tin-tuc/").text


def test_the_same_path_on_two_sites_is_two_entries(sites, edge, hosts):
    commune, other = hosts
    first = edge.get(commune, "/")
    edge.get(other, "/")
    second = edge.get(other, "/")
    assert second.headers["X-Edge-Cache"] == "HIT"
    assert sites.direct_commune.name in second.text
    assert sites.commune.name not in second.text
    assert sites.commune.name in first.text
    # Spellings of the host (case, port, trailing dot) are the same entry.
    assert edge.get(commune.upper() + ".", "/").headers["X-Edge-Cache"] == "HIT"


def test_tracking_parameters_hit_the_page_itself(edge, hosts):
    commune, _ = hosts
    edge.get(commune, "/gioi-thieu/")
    shared = edge.get(commune, "/gioi-thieu/?utm_source=zalo&fbclid=IwAR0x&zarsrc=30&gclid=1")
    assert shared.status_code == 200
    assert shared.headers["X-Edge-Cache"] == "HIT"


def test_unknown_parameters_on_a_page_that_takes_none_create_no_entry(edge, hosts):
    commune, _ = hosts
    edge.get(commune, "/gioi-thieu/")
    for attempt in range(3):
        response = edge.get(commune, "/gioi-thieu/?x=42")
        assert response.status_code == 200
        assert response.headers["X-Edge-Cache"] == "MISS", attempt
        # Passed to the platform, which answers from its own page cache (no rendering).
        assert response.headers["X-Cache"] == "HIT"


@pytest.mark.parametrize(
    "cookies", [{"sessionid": "phien-dang-nhap"}, {"csrftoken": "a" * 32}], ids=["session", "csrf"]
)
def test_visitors_with_a_session_or_form_token_are_never_served_from_the_edge(edge, hosts, cookies):
    commune, _ = hosts
    edge.get(commune, "/tin-tuc/")
    assert edge.get(commune, "/tin-tuc/").headers["X-Edge-Cache"] == "HIT"
    for _ in range(2):
        response = edge.get(commune, "/tin-tuc/", cookies=cookies)
        assert response.status_code == 200
        assert response.headers["X-Edge-Cache"] == "MISS"
        if "sessionid" in cookies:  # possibly an editor: nobody keeps that page
            assert response.headers["Cache-Control"] == "private, no-store"


def test_posts_and_the_admin_go_through(edge, hosts):
    commune, _ = hosts
    for _ in range(2):
        login = edge.get(commune, "/admin/login/")
        assert login.headers["X-Edge-Cache"] == "MISS"
        assert "no-store" in login.headers.get("Cache-Control", "") or "private" in (
            login.headers.get("Cache-Control", "")
        )
    posted = edge.request("POST", commune, "/tin-tuc/", data={"a": "1"})
    assert posted.headers["X-Edge-Cache"] == "MISS"


def test_a_cached_article_counts_each_view_through_the_live_endpoint(sites, edge, hosts):
    commune, _ = hosts
    schema = sites.commune.schema_name

    def make():
        (article,) = factories.make_articles(factories.news_index(), 1, with_image=False)
        return article.pk, article.url

    pk, url = committed(make, schema)
    try:
        edge.get(commune, url)
        page = edge.get(commune, url)
        assert page.headers["X-Edge-Cache"] == "HIT"
        assert f'<meta name="portal-count" content="article-view:{pk}">' in page.text
        assert "/static/core/live.js" in page.text
        asked = f"/_live/?visit=1&count=article-view:{pk}&show=count:article-view:{pk},visits"
        first = edge.get(commune, asked)
        second = edge.get(commune, asked)
        assert second.headers["X-Edge-Cache"] == "MISS"
        assert second.headers["Cache-Control"] == "no-store"
        before = int(first.json()["values"][f"count:article-view:{pk}"].replace(".", ""))
        after = int(second.json()["values"][f"count:article-view:{pk}"].replace(".", ""))
        assert after == before + 1
        assert second.json()["values"]["visits:today"]
    finally:
        _cleanup_pages(schema, [pk])
        with schema_context(schema):
            from component_sites.core import counters

            client = counters.client()
            client.delete(counters.pending_key(schema), counters.flushing_key(schema))
