"""What an article page shows around it (related, neighbours, gallery, tags), cached per site,
changes as soon as the articles do; a preview shows the editor's unsaved changes."""

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from tests.component_sites import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"


def _page(site, url):
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_related_neighbours_gallery_and_tags_follow_publishing(sites, settings):
    from component_sites.news.models import ArticleGalleryImage, ArticlePage

    settings.PAGE_CACHE_SECONDS = 0
    site = sites.commune
    with schema_context(site.schema_name):
        category = factories.make_category("Mục bài liền kề")
        (first,) = factories.make_articles(category, 1, with_image=False, title="Bài đầu tiên")
        url = first.url
    page = _page(site, url)
    assert "Bài thứ hai mới đăng" not in page and "Ảnh thư viện bài" not in page

    with schema_context(site.schema_name):
        (second,) = factories.make_articles(category, 1, with_image=False, title="Bài mới")
        second.title = "Bài thứ hai mới đăng"
        second.publication_date = first.publication_date.replace(
            year=first.publication_date.year + 1
        )
        second.save_revision().publish()
        article = ArticlePage.objects.get(pk=first.pk)
        ArticleGalleryImage.objects.create(
            page=article, image=factories.make_image("Ảnh thư viện bài"), sort_order=0
        )
        article.tags.add("thẻ mới gắn")
        article.save_revision().publish()
    page = _page(site, url)
    assert "Bài sau:</span> Bài thứ hai mới đăng" in page  # next article and related
    assert page.count("Bài thứ hai mới đăng") >= 2
    assert "thẻ mới gắn" in page
    assert "Ảnh thư viện bài" in page

    with schema_context(site.schema_name):
        PageViewRestriction.objects.create(
            page=ArticlePage.objects.get(pk=second.pk), restriction_type="login"
        )
    assert "Bài thứ hai mới đăng" not in _page(site, url)
