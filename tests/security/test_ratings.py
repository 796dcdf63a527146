"""One rating per visitor: a header change does not rate again; a cleared cookie is capped."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.participation import guards, reader_views
from component_sites.participation.models import ArticleRating
from tests.component_sites import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_schema(sites):
    """Run the test inside the commune's schema; yields the tenant."""
    with schema_context(sites.commune.schema_name):
        yield sites.commune


@pytest.fixture
def article(commune_schema):
    return factories.make_articles(factories.news_index(), 1, with_image=False)[0]


def url(article):
    return f"/tuong-tac/bai-viet/{article.pk}/danh-gia/"


def browser(site, address="203.0.113.7", agent="Mozilla/5.0 Firefox/130.0"):
    return Client(HTTP_HOST=site.primary_domain, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def rate(visitor, article, value="5", **headers):
    return visitor.post(url(article), {"value": value, "website": ""}, **headers)


def test_the_form_hands_out_a_signed_http_only_visitor_cookie(commune_schema, article):
    visitor = browser(commune_schema)
    response = visitor.get(url(article))
    cookie = response.cookies[guards.VISITOR_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert ":" in cookie.value  # signed


def test_changing_the_user_agent_or_forwarded_address_does_not_rate_again(commune_schema, article):
    visitor = browser(commune_schema)
    visitor.get(url(article))
    assert "Cảm ơn bạn" in rate(visitor, article).content.decode()
    for headers in (
        {"HTTP_USER_AGENT": "Mozilla/5.0 Chrome/131.0"},
        {"HTTP_USER_AGENT": ""},
        {"HTTP_X_FORWARDED_FOR": "198.51.100.9"},
        {"HTTP_USER_AGENT": "curl/8", "HTTP_X_FORWARDED_FOR": "10.0.0.1, 10.0.0.2"},
    ):
        body = rate(visitor, article, "1", **headers).content.decode()
        assert reader_views.ALREADY_RATED in body
    assert ArticleRating.objects.count() == 1


def test_a_post_without_the_cookie_or_with_a_forged_one_stores_nothing(commune_schema, article):
    visitor = browser(commune_schema)
    body = rate(visitor, article).content.decode()
    assert "cookie" in body and "Chưa nhận được đánh giá" in body
    visitor.cookies[guards.VISITOR_COOKIE] = "a" * 22  # unsigned
    assert "Chưa nhận được đánh giá" in rate(visitor, article).content.decode()
    assert ArticleRating.objects.count() == 0


def test_new_cookies_from_one_address_are_capped_per_article_and_day(
    commune_schema, article, settings
):
    settings.RATINGS_PER_ADDRESS_PER_DAY = 2
    for _ in range(2):
        fresh = browser(commune_schema)
        fresh.get(url(article))
        assert "Cảm ơn bạn" in rate(fresh, article).content.decode()
    third = browser(commune_schema)
    third.get(url(article))
    assert reader_views.ADDRESS_CAP_REACHED in rate(third, article).content.decode()
    # Another address is not affected; nor is another article from the capped address.
    elsewhere = browser(commune_schema, address="198.51.100.20")
    elsewhere.get(url(article))
    assert "Cảm ơn bạn" in rate(elsewhere, article).content.decode()
    other = factories.make_articles(
        factories.news_index(), 1, with_image=False, title="Một bài viết khác"
    )[0]
    third.get(url(other))
    assert "Cảm ơn bạn" in rate(third, other).content.decode()
    assert ArticleRating.objects.filter(article=article).count() == 3
    # Refused by the cap, the visitor may rate tomorrow: the refusal used up nothing.
    settings.RATINGS_PER_ADDRESS_PER_DAY = 30
    assert "Cảm ơn bạn" in rate(third, article).content.decode()
