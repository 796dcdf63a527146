"""News page tree, rendering and dates."""

import datetime as dt

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Page

from component_sites.core.models import HomePage, SectionPage
from component_sites.news.models import (
    ArticlePage,
    ArticleRelatedLink,
    NewsCategoryPage,
    NewsIndexPage,
)
from tests.component_sites import factories

pytestmark = pytest.mark.django_db


def test_new_site_has_a_typed_news_index_where_the_news_section_is(sites):
    with schema_context(sites.commune.schema_name):
        section = SectionPage.objects.child_of(factories.home()).get(section_key="news")
        assert isinstance(section.specific, NewsIndexPage)
        assert section.slug == "tin-tuc"


def test_page_tree_rules(sites):
    assert NewsIndexPage in HomePage.allowed_subpage_models()
    assert set(NewsIndexPage.allowed_subpage_models()) == {NewsCategoryPage, ArticlePage}
    assert set(NewsCategoryPage.allowed_parent_page_models()) == {
        NewsIndexPage,
        NewsCategoryPage,
    }
    assert set(ArticlePage.allowed_parent_page_models()) == {NewsIndexPage, NewsCategoryPage}
    assert ArticlePage.allowed_subpage_models() == []
    with schema_context(sites.commune.schema_name):
        home = factories.home()
        assert not ArticlePage.can_create_at(home)
        assert not NewsCategoryPage.can_create_at(home)
        assert ArticlePage.can_create_at(factories.news_index())
        contact = SectionPage.objects.get(section_key="contact")
        assert not ArticlePage.can_create_at(contact)
        assert not ArticlePage.can_create_at(Page.get_first_root_node())


def test_category_slug_is_ascii(sites):
    with schema_context(sites.commune.schema_name):
        category = factories.make_category("Quốc phòng – an ninh đảm bảo")
        assert category.slug == "quoc-phong-an-ninh-dam-bao"


def test_index_category_and_article_render_on_the_sites_domain(sites):
    with schema_context(sites.commune.schema_name):
        parent = factories.make_category("Kinh tế")
        child = factories.make_category("Nông nghiệp", parent=parent)
        (article,) = factories.make_articles(
            child,
            1,
            title="Đồng lúa Nhuận Trạch được mùa",
            author="Minh Thu",
            source="Đài truyền thanh xã",
            publication_date=dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC),
        )
        article.tags.add("nông nghiệp")
        article.save()
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    index = client.get("/tin-tuc/")
    assert index.status_code == 200
    assert "Đồng lúa Nhuận Trạch được mùa" in index.content.decode()
    assert client.get("/tin-tuc/kinh-te/").status_code == 200
    category = client.get("/tin-tuc/kinh-te/nong-nghiep/")
    assert "Đồng lúa Nhuận Trạch được mùa" in category.content.decode()
    response = client.get(f"/tin-tuc/kinh-te/nong-nghiep/{article.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    # 23:30 UTC on 4 March is 06:30 on 5 March in Hà Nội.
    assert "05/03/2026 06:30" in html
    assert "Minh Thu" in html and "Nguồn: Đài truyền thanh xã" in html
    assert "nông nghiệp" in html
    assert "facebook.com/sharer" in html and "sp.zalo.me" in html
    assert "<h1>Đồng lúa Nhuận Trạch được mùa</h1>" in html
    # The article is not served on another site's domain.
    other = Client(HTTP_HOST=sites.district.primary_domain)
    assert other.get(f"/tin-tuc/kinh-te/nong-nghiep/{article.slug}/").status_code == 404


def test_print_view(sites):
    with schema_context(sites.commune.schema_name):
        (article,) = factories.make_articles(factories.news_index(), 1, title="Bài để in")
        url = article.url
    response = Client(HTTP_HOST=sites.commune.primary_domain).get(url + "ban-in/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Bài để in</h1>" in html
    assert "site-header" not in html


def test_previous_next_and_related_fall_back_to_the_same_category(sites):
    with schema_context(sites.commune.schema_name):
        category = factories.make_category("Tin hoạt động")
        other = factories.make_category("Văn hóa")
        newest, middle, oldest = factories.make_articles(category, 3, with_image=False)
        (elsewhere,) = factories.make_articles(other, 1, with_image=False, title="Bài khác mục")
        from component_sites.news import queries

        assert queries.previous_article(middle).pk == oldest.pk
        assert queries.next_article(middle).pk == newest.pk
        assert queries.next_article(newest) is None
        assert [a.pk for a in queries.related_articles(middle)] == [newest.pk, oldest.pk]
        ArticleRelatedLink.objects.create(page=middle, related=elsewhere)
        middle = ArticlePage.objects.get(pk=middle.pk)
        related = [a.pk for a in queries.related_articles(middle)]
        assert related == [elsewhere.pk, newest.pk, oldest.pk]


def test_bad_page_numbers_give_a_clear_message(sites):
    with schema_context(sites.commune.schema_name):
        factories.make_articles(factories.news_index(), 2, with_image=False)
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    for value, message in (("9999", "Không có trang 9999"), ("abc", "không hợp lệ")):
        response = client.get("/tin-tuc/", {"page": value})
        assert response.status_code == 200
        assert message in response.content.decode()


def test_home_page_queries(sites):
    with schema_context(sites.commune.schema_name):
        from component_sites.news import queries

        index = factories.news_index()
        articles = factories.make_articles(index, 4, with_image=False)
        articles[2].featured = True
        articles[2].save()
        home = factories.home()
        assert [a.pk for a in queries.latest_articles(home, 3)] == [a.pk for a in articles[:3]]
        assert [a.pk for a in queries.featured_articles(home, 5)] == [articles[2].pk]


def test_home_articles_finds_old_featured_articles_and_the_newest_in_one_query(sites):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from component_sites.core import site_cache

    with schema_context(sites.commune.schema_name):
        from component_sites.news import queries

        category = factories.make_category("Mục trang chủ")
        articles = factories.make_articles(category, 8, with_image=True)
        for old in (articles[6], articles[7], articles[1]):  # two older than the 5 newest
            old.featured = True
            old.save()
        home = factories.home()
        site_cache.restricted_paths()  # cached for the site (one query the first time)
        with CaptureQueriesContext(connection) as captured:
            featured, latest = queries.home_articles(home, featured=2, latest=5)
        assert [a.pk for a in featured] == [articles[1].pk, articles[6].pk]
        assert [a.pk for a in latest] == [a.pk for a in articles[:5]]
        assert all(a.category.pk == category.pk for a in latest)
        # articles (both lists), images, renditions, categories
        assert len(captured.captured_queries) == 4
        featured[0].featured_image.get_rendition("fill-960x540-c100")  # prefetched
        assert len(captured.captured_queries) == 4


def test_neighbours_in_one_query_match_previous_and_next(sites):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from component_sites.core import site_cache

    with schema_context(sites.commune.schema_name):
        from component_sites.news import queries

        category = factories.make_category("Mục kề nhau")
        articles = factories.make_articles(category, 4, with_image=False)
        tie = factories.make_articles(
            category, 1, with_image=False, publication_date=articles[1].publication_date
        )[0]
        site_cache.restricted_paths()
        for article in [*articles, tie]:
            with CaptureQueriesContext(connection) as captured:
                found = queries.neighbours(article)
            assert len(captured.captured_queries) == 1
            assert found == (queries.previous_article(article), queries.next_article(article))
        assert queries.neighbours(articles[0])[1] is None
        assert queries.neighbours(articles[3])[0] is None
