"""Site-wide facts cached per site (component_sites.core.site_cache): changed data shows at once."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction

from component_sites.core import page_cache, site_cache
from tests.component_sites import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"


@pytest.fixture
def uncached(settings):
    """Every anonymous page rendered (no page cache): what the site cache gives shows."""
    settings.PAGE_CACHE_SECONDS = 0


def visitor(site):
    return Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)


def _article(site, title):
    with schema_context(site.schema_name):
        category = factories.make_category(f"Mục {title}")
        (article,) = factories.make_articles(category, 1, with_image=False, title=title)
        return article.pk, category.pk, article.url


def _restrict(site, page_pk, kind=PageViewRestriction.LOGIN):
    with schema_context(site.schema_name):
        restriction = PageViewRestriction.objects.create(
            page=Page.objects.get(pk=page_pk), restriction_type=kind, password="mat-khau"
        )
        if kind == PageViewRestriction.GROUPS:
            restriction.groups.add(Group.objects.get_or_create(name="Nội bộ")[0])
        return restriction.pk


@pytest.mark.parametrize(
    "kind",
    [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS],
)
def test_a_restriction_added_after_the_pages_were_seen_is_enforced_at_once(sites, uncached, kind):
    site = sites.commune
    article_pk, category_pk, url = _article(site, "Bài nội bộ về tài chính")
    client = visitor(site)
    assert client.get(url).status_code == 200
    assert "Bài nội bộ về tài chính" in client.get("/").content.decode()

    restriction_pk = _restrict(site, category_pk, kind)
    connection.set_schema_to_public()

    refused = client.get(url)
    assert refused.status_code in (200, 302)
    body = refused.content.decode()
    assert "Nội dung bài 1." not in body  # the password form or a redirect to the login
    if kind != PageViewRestriction.PASSWORD:
        assert refused.status_code == 302
    assert "Bài nội bộ về tài chính" not in client.get("/").content.decode()
    assert "Bài nội bộ về tài chính" not in client.get("/tin-tuc/").content.decode()

    with schema_context(site.schema_name):
        PageViewRestriction.objects.filter(pk=restriction_pk).delete()
    connection.set_schema_to_public()
    assert client.get(url).status_code == 200
    assert "Bài nội bộ về tài chính" in client.get("/").content.decode()


def test_with_the_page_cache_on_a_restriction_purges_the_cached_page(sites):
    site = sites.commune
    article_pk, _category, url = _article(site, "Bài sắp khoá")
    client = visitor(site)
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    _restrict(site, article_pk)
    connection.set_schema_to_public()
    assert client.get(url).status_code == 302


def test_restricted_paths_are_per_site(sites, uncached):
    commune, other = sites.commune, sites.direct_commune
    _article_pk, category_pk, _url = _article(commune, "Bài riêng của xã")
    with schema_context(other.schema_name):
        assert site_cache.restricted_paths() == ()
    _restrict(commune, category_pk)
    with schema_context(commune.schema_name):
        path = Page.objects.get(pk=category_pk).path
        assert site_cache.restricted_paths() == (path,)
    with schema_context(other.schema_name):
        assert site_cache.restricted_paths() == ()


def test_public_leaves_out_what_wagtails_public_leaves_out(sites):
    site = sites.commune
    _article(site, "Bài công khai")
    hidden_pk, hidden_category, _url = _article(site, "Bài ẩn")
    _restrict(site, hidden_category)
    with schema_context(site.schema_name):
        home = factories.home()
        ours = set(site_cache.public(Page.objects.descendant_of(home)).values_list("pk", flat=True))
        wagtails = set(Page.objects.descendant_of(home).public().values_list("pk", flat=True))
        assert ours == wagtails
        assert hidden_pk not in ours and hidden_category not in ours


def test_a_page_moved_under_a_restricted_page_is_hidden(sites, uncached):
    site = sites.commune
    article_pk, _category, _url = _article(site, "Bài được chuyển")
    _pk, secret_category, _url2 = _article(site, "Bài trong mục kín")
    _restrict(site, secret_category)
    client = visitor(site)
    assert "Bài được chuyển" in client.get("/").content.decode()
    with schema_context(site.schema_name):
        Page.objects.get(pk=article_pk).move(Page.objects.get(pk=secret_category), "last-child")
    connection.set_schema_to_public()
    assert "Bài được chuyển" not in client.get("/").content.decode()


def test_the_site_cache_follows_the_page_caches_generation(sites):
    assert site_cache.PAGE_GENERATION_KEY == page_cache.GENERATION_KEY
    with schema_context(sites.commune.schema_name):
        calls = []
        site_cache.get("probe", lambda: calls.append(1) or len(calls))
        assert site_cache.get("probe", lambda: calls.append(1) or len(calls)) == 1
        page_cache.purge_site()
        assert site_cache.get("probe", lambda: calls.append(1) or len(calls)) == 2
        site_cache.forget()
        assert site_cache.get("probe", lambda: calls.append(1) or len(calls)) == 3
    with schema_context(sites.direct_commune.schema_name):  # another site, its own answer
        assert site_cache.get("probe", lambda: "khác") == "khác"
