"""Pages found from their URL in one query route exactly as Wagtail's walk down the tree."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import Page

from component_sites.core.models import HomePage
from tests.component_sites import factories

pytestmark = pytest.mark.django_db


def _result(page, args, kwargs):
    # A routable page's view is a bound method: compared by name.
    args = tuple(getattr(arg, "__name__", arg) for arg in args)
    return (page.pk, type(page), args, tuple(sorted(kwargs.items())))


def _walk(home, request, components):
    """Wagtail's own routing from the home page, or "404"."""
    try:
        page, args, kwargs = Page.route(home, request, components)
    except Http404:
        return "404"
    return _result(page, args, kwargs)


def _ours(home, request, components):
    try:
        page, args, kwargs = home.route(request, components)
    except Http404:
        return "404"
    return _result(page, args, kwargs)


def test_every_url_routes_as_wagtails_walk(sites):
    with schema_context(sites.commune.schema_name):
        category = factories.make_category("Mục định tuyến")
        live, draft = factories.make_articles(category, 2, with_image=False)
        draft.unpublish()
        hidden_category = factories.make_category("Mục nháp")
        (under_draft,) = factories.make_articles(hidden_category, 1, with_image=False)
        hidden_category.unpublish()
        home = HomePage.objects.get()
        request = RequestFactory().get("/")
        urls = [
            page.url_path[len(home.url_path) :]
            for page in Page.objects.descendant_of(home).order_by("path")
        ]
        urls += [
            live.url_path[len(home.url_path) :] + "ban-in/",  # the article's print view
            live.url_path[len(home.url_path) :] + "khong-co/",
            "tin-tuc/khong-co/",
            "khong-co/",
            "tin-tuc/" + category.slug + "/khong-co/bai/",
            "thu-vien/anh/",  # a routable section's own sub-path
        ]
        for url in urls:
            components = [part for part in url.split("/") if part]
            assert _ours(home, request, components) == _walk(home, request, components), url
        assert _ours(home, request, draft.url_path.split("/")[2:-1]) == "404"
        assert _ours(home, request, under_draft.url_path.split("/")[2:-1]) != "404"


def test_an_article_is_found_in_two_queries_then_from_the_site_cache(sites):
    from django.core.cache import cache

    with schema_context(sites.commune.schema_name):
        category = factories.make_category("Mục sâu")
        (article,) = factories.make_articles(category, 1, with_image=False)
        home = HomePage.objects.get()
        components = article.url_path.split("/")[2:-1]
        home.route(RequestFactory().get("/"), components)  # content types cached, as in requests
        cache.clear()  # nothing kept yet (outside a request nothing is held in memory)
        for expected in (2, 0):
            with CaptureQueriesContext(connection) as captured:
                page, _args, _kwargs = home.route(RequestFactory().get("/"), components)
            assert page.pk == article.pk and type(page).__name__ == "ArticlePage"
            assert len(captured.captured_queries) == expected
        article.unpublish()  # the kept page is forgotten: Wagtail's 404
        with pytest.raises(Http404):
            home.route(RequestFactory().get("/"), components)
        # Invented paths are not kept (one key per URL a client makes up would fill Redis).
        keys = len(cache._cache.get_client().keys("*route:*"))
        for number in range(5):
            with pytest.raises(Http404):
                home.route(RequestFactory().get("/"), ["tin-tuc", f"khong-co-{number}"])
        assert len(cache._cache.get_client().keys("*route:*")) == keys


def test_a_form_post_reads_the_page_as_it_is_now_not_the_kept_copy(sites):
    from django.core.cache import cache

    from component_sites.news.models import ArticlePage

    with schema_context(sites.commune.schema_name):
        category = factories.make_category("Mục gửi")
        (article,) = factories.make_articles(category, 1, with_image=False)
        home = HomePage.objects.get()
        components = article.url_path.split("/")[2:-1]
        cache.clear()
        kept, _args, _kwargs = home.route(RequestFactory().get("/"), components)
        # Changed without Wagtail's signals (as a queryset update does): the kept copy is old.
        ArticlePage.objects.filter(pk=article.pk).update(title="Tiêu đề mới")
        again, _args, _kwargs = home.route(RequestFactory().get("/"), components)
        assert again.title == kept.title != "Tiêu đề mới"
        posted, _args, _kwargs = home.route(RequestFactory().post("/"), components)
        assert posted.pk == article.pk and posted.title == "Tiêu đề mới"
