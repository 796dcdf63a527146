"""Readers' comments and 1–5 ratings of articles; the service satisfaction rating."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from component_sites.participation import reader_views
from component_sites.participation.models import ArticleComment, ArticleRating, ServiceRating
from tests.component_sites import factories
from tests.two_factor import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(site_schema):
    return factories.make_articles(factories.news_index(), 1, with_image=False)[0]


def comment_url(article_id):
    return f"/tuong-tac/bai-viet/{article_id}/binh-luan/"


def rating_url(article_id):
    return f"/tuong-tac/bai-viet/{article_id}/danh-gia/"


def comment(client, article_id, solved, **changes):
    data = {"author_name": "Nguyễn Thị Hoa", "text": "Bài viết rất hữu ích, cảm ơn.", "website": ""}
    return client.post(comment_url(article_id), {**data, **solved(), **changes})


def refused(response, message, model, status=200):
    body = response.content.decode()
    assert response.status_code == status
    assert message in body, body[-3000:]
    assert 'role="alert"' in body
    assert model.objects.count() == 0


# -- the article page stays cacheable --------------------------------------------------


def test_article_stays_cached_and_links_to_the_forms(client, article):
    first = client.get(article.url)
    body = first.content.decode()
    assert first["X-Cache"] == "MISS"
    assert "csrfmiddlewaretoken" not in body
    assert comment_url(article.pk) in body and rating_url(article.pk) in body
    assert client.get(article.url)["X-Cache"] == "HIT"


def test_form_pages_are_not_cached(client, article, questions_page):
    urls = [
        comment_url(article.pk),
        rating_url(article.pk),
        "/tuong-tac/danh-gia-dich-vu/",
        questions_page.url + "phan-anh-kien-nghi/",
        questions_page.url + "dat-cau-hoi/",
    ]
    for url in urls:
        for _attempt in range(2):
            response = client.get(url)
            assert "csrfmiddlewaretoken" in response.content.decode()
            assert "X-Cache" not in response, url


# -- comments --------------------------------------------------------------------------


def test_comment_is_shown_only_after_approval(client, article, solved):
    response = comment(client, article.pk, solved, text="<b>Bài viết</b> rất hữu ích, cảm ơn.")
    assert "sau khi được duyệt" in response.content.decode()
    stored = ArticleComment.objects.get()
    assert stored.status == ArticleComment.Status.PENDING and "<b>" not in stored.text
    assert "Bài viết rất hữu ích" not in client.get(article.url).content.decode()
    stored.status = ArticleComment.Status.PUBLISHED
    stored.save()  # purges the cached article
    page = client.get(article.url)
    assert page["X-Cache"] == "MISS"
    assert "Bài viết rất hữu ích" in page.content.decode()


def test_comment_on_a_missing_article(client, site_schema, solved):
    refused(comment(client, 999999, solved), "Không tìm thấy bài viết", ArticleComment, 404)


def test_comment_on_an_unpublished_article(client, article, solved):
    article.unpublish()
    refused(comment(client, article.pk, solved), "Không tìm thấy bài viết", ArticleComment, 404)


def test_comment_honeypot(client, article, solved):
    refused(comment(client, article.pk, solved, website="x"), "điền tự động", ArticleComment)


def test_comment_wrong_captcha(client, article, solved):
    refused(
        comment(client, article.pk, solved, captcha_answer="99"),
        "Câu trả lời kiểm tra chưa đúng",
        ArticleComment,
    )


def test_comment_too_short(client, article, solved):
    refused(comment(client, article.pk, solved, text="hay"), "quá ngắn", ArticleComment)


def test_comment_duplicate(client, article, solved):
    comment(client, article.pk, solved)
    response = comment(client, article.pk, solved)
    assert "Bình luận có cùng nội dung" in response.content.decode()
    assert ArticleComment.objects.count() == 1


def test_comment_rate_limit(client, article, solved, monkeypatch):
    monkeypatch.setattr(reader_views, "COMMENTS_PER_HOUR", 1)
    comment(client, article.pk, solved)
    ArticleComment.objects.all().delete()
    refused(
        comment(client, article.pk, solved, text="Một bình luận khác hẳn."),
        "đủ số lần cho phép",
        ArticleComment,
    )


# -- ratings ---------------------------------------------------------------------------


def rate(client, article_id, value, **extra):
    # The form (GET) hands out the visitor cookie the POST brings back, as in a browser.
    client.get(rating_url(article_id))
    return client.post(rating_url(article_id), {"value": value, "website": "", **extra})


def test_rating_counts_live_on_the_cached_article(client, article):
    assert client.get(article.url)["X-Cache"] == "MISS"
    response = rate(client, article.pk, "4")
    assert "Cảm ơn bạn đã đánh giá bài viết 4 sao" in response.content.decode()
    assert list(ArticleRating.objects.values_list("value", flat=True)) == [4]
    other = Client(HTTP_HOST=client.defaults["HTTP_HOST"], HTTP_USER_AGENT="Another browser")
    rate(other, article.pk, "5")
    cached = client.get(article.url)
    body = cached.content.decode()
    assert cached["X-Cache"] == "HIT"  # the figures are filled in, not re-rendered
    pk = article.pk
    assert f'data-live="count:article-rating:{pk}">2</span> lượt đánh giá' in body
    assert f'data-rating-stars="4" data-live="count:article-rating-4:{pk}">1</span>' in body
    assert f'data-rating-stars="5" data-live="count:article-rating-5:{pk}">1</span>' in body
    assert f'data-rating-stars="1" data-live="count:article-rating-1:{pk}">0</span>' in body


def test_rating_choice_from_the_article_is_preselected(client, article):
    import re

    body = client.get(rating_url(article.pk) + "?diem=3").content.decode()
    radios = re.findall(r'<input type="radio" name="value" value="(\d)"[^>]*>', body)
    assert radios == ["1", "2", "3", "4", "5"]
    checked = re.findall(r'<input type="radio" name="value" value="(\d)"[^>]*checked[^>]*>', body)
    assert checked == ["3"]


@pytest.mark.parametrize("value", ["0", "6", "abc", "4.5", ""])
def test_bad_rating_value(client, article, value):
    refused(rate(client, article.pk, value), "từ 1 đến 5", ArticleRating)


def test_second_rating_by_the_same_visitor(client, article):
    rate(client, article.pk, "5")
    refused_again = rate(client, article.pk, "1")
    body = refused_again.content.decode()
    assert "Bạn đã đánh giá bài viết này rồi" in body and 'role="alert"' in body
    assert list(ArticleRating.objects.values_list("value", flat=True)) == [5]


def test_rating_a_missing_article(client, site_schema):
    refused(rate(client, 999999, "5"), "Không tìm thấy bài viết", ArticleRating, 404)


def test_rating_honeypot(client, article):
    refused(rate(client, article.pk, "5", website="x"), "điền tự động", ArticleRating)


def test_rating_rate_limit(client, article, monkeypatch):
    monkeypatch.setattr(reader_views, "RATINGS_PER_HOUR", 1)
    other = factories.make_articles(factories.make_category(), 1, with_image=False)[0]
    rate(client, article.pk, "5")
    ArticleRating.objects.all().delete()
    refused(rate(client, other.pk, "5"), "đủ số lần cho phép", ArticleRating)


# -- service satisfaction --------------------------------------------------------------


def rate_service(client, solved, **changes):
    data = {"level": "satisfied", "comment": "", "website": ""}
    return client.post("/tuong-tac/danh-gia-dich-vu/", {**data, **solved(), **changes})


def test_service_rating_is_anonymous(client, site_schema, solved):
    response = rate_service(
        client,
        solved,
        level="very_satisfied",
        comment="<i>Trang</i> dễ dùng",
        REMOTE_ADDR="1.2.3.4",
    )
    assert "Cảm ơn bạn đã đánh giá" in response.content.decode()
    rating = ServiceRating.objects.get()
    assert rating.level == "very_satisfied" and rating.comment == "Trang dễ dùng"
    stored = {field.name for field in ServiceRating._meta.get_fields()}
    assert stored == {"id", "level", "comment", "created_on"}


def test_service_rating_bad_level(client, site_schema, solved):
    refused(rate_service(client, solved, level="great"), "không hợp lệ", ServiceRating)


def test_service_rating_honeypot(client, site_schema, solved):
    refused(rate_service(client, solved, website="x"), "điền tự động", ServiceRating)


def test_service_rating_rate_limit(client, site_schema, solved, monkeypatch):
    monkeypatch.setattr(reader_views, "SERVICE_RATINGS_PER_DAY", 1)
    rate_service(client, solved)
    ServiceRating.objects.all().delete()
    refused(rate_service(client, solved), "đủ số lần cho phép", ServiceRating)


def test_staff_see_the_aggregate(site_schema):
    for level in ["very_satisfied", "satisfied", "satisfied", "not_satisfied"]:
        ServiceRating.objects.create(level=level)
    ServiceRating.objects.create(level="not_satisfied", comment="Tìm thủ tục khó")
    admin = get_user_model().objects.create_superuser("qt-hai-long", "hl@example.vn", "mat-khau-1")
    staff = Client(HTTP_HOST=site_schema.primary_domain)
    verified_login(staff, admin)
    body = staff.get("/admin/participation/satisfaction/").content.decode()
    assert "5 lượt, 60,0% hài lòng trở lên" in body
    assert '<tr data-level="satisfied"><td>Hài lòng</td><td>2</td><td>40,0%</td></tr>' in body
    assert "Tìm thủ tục khó" in body
    anonymous = Client(HTTP_HOST=site_schema.primary_domain)
    assert anonymous.get("/admin/participation/satisfaction/").status_code == 302
