"""The number of SQL queries of list and article pages does not grow with what they show."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tests.component_sites import factories

pytestmark = pytest.mark.django_db


def count_queries(host, url):
    client = Client(HTTP_HOST=host)
    assert client.get(url).status_code == 200  # renditions made on the first view
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_news_index_and_category_lists(sites):
    host = sites.commune.primary_domain
    with schema_context(sites.commune.schema_name):
        small = factories.make_category("Ít bài")
        large = factories.make_category("Nhiều bài")
        factories.make_articles(small, 3)
        factories.make_articles(large, 10)
        small_url, large_url = small.url, large.url
    assert count_queries(host, small_url) == count_queries(host, large_url)
    # The news index lists all 13 (10 a page) the same way.
    assert count_queries(host, "/tin-tuc/") == count_queries(host, small_url)


def test_article_page(sites):
    host = sites.commune.primary_domain
    with schema_context(sites.commune.schema_name):
        from component_sites.news.models import ArticleGalleryImage, ArticleRelatedLink

        small_cat = factories.make_category("Mục A")
        large_cat = factories.make_category("Mục B")
        small = factories.make_articles(small_cat, 5)
        large = factories.make_articles(large_cat, 12)
        for article, gallery, related in ((small[0], 3, small[1:5]), (large[0], 12, large[1:5])):
            for number in range(gallery):
                ArticleGalleryImage.objects.create(
                    page=article, image=factories.make_image(f"g{number}"), sort_order=number
                )
            for number, other in enumerate(related):
                ArticleRelatedLink.objects.create(page=article, related=other, sort_order=number)
            article.tags.add(*[f"thẻ {n}" for n in range(gallery)])
            article.save()
        small_url, large_url = small[0].url, large[0].url
    assert count_queries(host, small_url) == count_queries(host, large_url)


def test_document_list(sites):
    host = sites.commune.primary_domain
    with schema_context(sites.commune.schema_name):
        c = factories.classifications()
        index = factories.documents_index()
        for number in range(12):
            factories.make_legal_document(
                index,
                number=f"{number + 1}/QĐ-UBND",
                document_type=c["quyet-dinh"] if number % 2 else c["nghi-dinh"],
                issuing_body=c["ubnd"],
                field=c["dat-dai"],
                files=2,
            )
    # 3 documents shown (type filter + page size through the year) vs 12 shown
    assert count_queries(host, "/van-ban/?q=&loai=nghi-dinh&nam=2024") == count_queries(
        host, "/van-ban/?q=&nam=2024"
    )
    assert count_queries(host, "/van-ban/?q=QĐ&loai=nghi-dinh") == count_queries(
        host, "/van-ban/?q=QĐ&loai=quyet-dinh"
    )
