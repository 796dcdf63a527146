"""Readers' comments and ratings of articles; the satisfaction rating of the site's service.

These forms live on their own uncached URLs (``/tuong-tac/...``): the article page links to
them and stays cacheable (it renders no CSRF token).  Every refusal is shown on the form
with a Vietnamese message and stores nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone

from component_sites.core import counters

from . import guards
from .archived import closed_when_archived
from .forms import ArticleCommentForm, ArticleRatingForm, ServiceRatingForm, mark_errors
from .models import ArticleComment, ArticleRating, ServiceRating
from .views import guarded_response, refuse_for_now

COMMENTS_PER_HOUR = 5
RATINGS_PER_HOUR = 20
SERVICE_RATINGS_PER_DAY = 3
# One rating per visitor and article for this long (the visitor id lives in Redis only).
RATING_MEMORY_SECONDS = 365 * 24 * 3600

RATING_COUNT = "article-rating"  # number of ratings of an article
RATING_STARS = "article-rating-{}"  # number of ratings with that many stars

MISSING_ARTICLE = (
    "Không tìm thấy bài viết này (bài viết không tồn tại hoặc đã được gỡ), "
    "nên không gửi được bình luận hay đánh giá."
)
DUPLICATE_COMMENT = "Bình luận có cùng nội dung đã được gửi cho bài viết này."
ALREADY_RATED = "Bạn đã đánh giá bài viết này rồi; mỗi người chỉ đánh giá một lần."
RATING_UNAVAILABLE = "Tạm thời chưa nhận được đánh giá. Vui lòng thử lại sau ít phút."
NO_VISITOR_COOKIE = (
    "Chưa nhận được đánh giá: trình duyệt chưa gửi cookie của trang (cần để mỗi người chỉ "
    "đánh giá một lần). Vui lòng cho phép cookie, tải lại trang rồi chọn lại số sao."
)
ADDRESS_CAP_REACHED = (
    "Hôm nay bài viết này đã nhận nhiều đánh giá từ cùng một địa chỉ mạng với bạn; "
    "vui lòng đánh giá vào ngày mai."
)
# At most this many ratings of one article per client address and day: a visitor who clears
# the cookie gets a new id, but not unlimited votes.  An office behind one address (NAT) shares
# the cap: it is set well above a normal office's readers (RATINGS_PER_ADDRESS_PER_DAY).
RATINGS_PER_ADDRESS_PER_DAY = 30


def _article(article_id: int):
    from component_sites.news.models import ArticlePage

    return ArticlePage.objects.live().public().filter(pk=article_id).first()


def _missing(request, template, title):
    response = TemplateResponse(
        request,
        template,
        {"article": None, "form": None, "refusal": MISSING_ARTICLE, "title": title},
    )
    response.status_code = 404
    return response


@closed_when_archived("Gửi bình luận")
def article_comment(request, article_id: int):
    template = "participation/article_comment.html"
    article = _article(article_id)
    if article is None:
        return _missing(request, template, "Gửi bình luận")
    sent = False
    refusal = None
    if request.method != "POST":
        form = ArticleCommentForm()
    else:
        form = ArticleCommentForm(request.POST)
        budget = guards.Budget("article-comment", COMMENTS_PER_HOUR, 3600)
        refusal = guards.refusal(request, budget)
        if refusal is not None:
            refuse_for_now(form, refusal)
        elif form.is_valid():
            data = form.cleaned_data
            fingerprint = guards.fingerprint(str(article.pk), data["text"])
            if ArticleComment.objects.filter(article=article, fingerprint=fingerprint).exists():
                form.add_error(None, DUPLICATE_COMMENT)
                guards.record_failure(request, budget)
            else:
                ArticleComment.objects.create(
                    article=article,
                    author_name=data["author_name"],
                    text=data["text"],
                    fingerprint=fingerprint,
                )
                guards.record_accepted(request, budget)
                sent = True
                form = ArticleCommentForm()
        else:
            guards.record_failure(request, budget)
        if form.is_bound:
            form.refresh_captcha()
    response = TemplateResponse(
        request,
        template,
        {"article": article, "form": form, "sent": sent, "title": "Gửi bình luận"},
    )
    return guarded_response(request, response, refusal)


@closed_when_archived("Đánh giá bài viết")
def article_rating(request, article_id: int):
    template = "participation/article_rating.html"
    article = _article(article_id)
    if article is None:
        return _missing(request, template, "Đánh giá bài viết")
    sent = None
    refusal = None
    if request.method != "POST":
        # The article's (cached, token-less) rating form sends the chosen stars here by GET.
        chosen = request.GET.get("diem", "")
        initial = {"value": chosen} if chosen in {"1", "2", "3", "4", "5"} else {}
        form = ArticleRatingForm(initial=initial)
    elif guards.visitor_id(request) is None:
        # No (valid) visitor cookie: a script posting directly, or cookies turned off.
        form = ArticleRatingForm(request.POST)
        form.is_valid()
        form.errors.clear()
        form.add_error(None, NO_VISITOR_COOKIE)
    else:
        form = ArticleRatingForm(request.POST)
        budget = guards.Budget("article-rating", RATINGS_PER_HOUR, 3600)
        refusal = guards.refusal(request, budget)
        if refusal is not None:
            refuse_for_now(form, refusal)
        elif form.is_valid():
            sent = _record_rating(request, article, form)
            if sent is None:
                guards.record_failure(request, budget)
            else:
                guards.record_accepted(request, budget)
        else:
            guards.record_failure(request, budget)
    if form.is_bound:
        mark_errors(form)
    response = TemplateResponse(
        request,
        template,
        {"article": article, "form": form, "sent": sent, "title": "Đánh giá bài viết"},
    )
    # The form hands out the visitor id that the next POST must bring back.
    return guarded_response(request, response, refusal)


def _record_rating(request, article, form):
    """Store the rating unless this visitor already rated the article; the value or None."""
    value = form.cleaned_data["value"]
    marker = f"rated:{article.pk}:{guards.visitor_id(request)}"
    day = timezone.localdate().strftime("%Y%m%d")
    try:
        fresh = guards.claim_once(marker, RATING_MEMORY_SECONDS)
        if fresh:
            count = guards.count_per_address(f"rating:{article.pk}:{day}", request, 24 * 3600)
            cap = getattr(settings, "RATINGS_PER_ADDRESS_PER_DAY", RATINGS_PER_ADDRESS_PER_DAY)
            if count > cap:
                guards.release_once(marker)
                form.add_error(None, ADDRESS_CAP_REACHED)
                return None
    except Exception:  # noqa: BLE001 - Redis down: refuse rather than allow repeats
        form.add_error(None, RATING_UNAVAILABLE)
        return None
    if not fresh:
        form.add_error(None, ALREADY_RATED)
        return None
    try:
        with transaction.atomic():
            ArticleRating.objects.create(article=article, value=value)
            counters.increment(RATING_COUNT, article.pk)
            counters.increment(RATING_STARS.format(value), article.pk)
    except Exception:
        guards.release_once(marker)
        raise
    return value


@closed_when_archived("Đánh giá mức độ hài lòng")
def service_rating(request):
    template = "participation/service_rating.html"
    sent = False
    refusal = None
    if request.method != "POST":
        form = ServiceRatingForm()
    else:
        form = ServiceRatingForm(request.POST)
        budget = guards.Budget(
            "service-rating", SERVICE_RATINGS_PER_DAY, 24 * 3600, failure_limit=10
        )
        refusal = guards.refusal(request, budget)
        if refusal is not None:
            refuse_for_now(form, refusal)
        elif form.is_valid():
            ServiceRating.objects.create(
                level=form.cleaned_data["level"], comment=form.cleaned_data["comment"]
            )
            guards.record_accepted(request, budget)
            sent = True
            form = ServiceRatingForm()
        else:
            guards.record_failure(request, budget)
        if form.is_bound:
            form.refresh_captcha()
    response = TemplateResponse(
        request, template, {"form": form, "sent": sent, "title": "Đánh giá mức độ hài lòng"}
    )
    return guarded_response(request, response, refusal)
