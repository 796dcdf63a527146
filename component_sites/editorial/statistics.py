"""Editorial statistics for a period, per author, per contributing unit and per category.

Counted from Wagtail's own records: workflow states (submitted), rejected task states,
first publication dates, the reference index (images and documents an article uses) and
the Redis view counters.  Views are those of the articles published in the period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, TaskState, WorkflowState

from component_sites.core.counters import get_counts

PERIODS = {
    "month": "Tháng",
    "quarter": "Quý",
    "nine_months": "9 tháng",
    "year": "Năm",
}
MEASURES = [
    ("submitted", "Gửi duyệt"),
    ("published", "Đã đăng"),
    ("rejected", "Bị trả lại"),
    ("images", "Ảnh"),
    ("documents", "Tài liệu"),
    ("views", "Lượt xem"),
]
NO_UNIT = "(Chưa ghi đơn vị)"
NO_CATEGORY = "(Không thuộc chuyên mục)"
NO_AUTHOR = "(Không rõ tác giả)"


class PeriodError(ValueError):
    """A period that does not exist (month 13, quarter 5...)."""


@dataclass
class Period:
    kind: str
    year: int
    number: int
    start: dt.datetime
    end: dt.datetime  # exclusive

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.number:02d}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {self.number}/{self.year}"
        if self.kind == "nine_months":
            return f"9 tháng năm {self.year}"
        return f"Năm {self.year}"


def period(kind: str, year: int, number: int = 1) -> Period:
    """The period ``kind`` (month, quarter, nine_months, year) of ``year``, in local time."""
    if kind not in PERIODS:
        raise PeriodError(f"Kỳ thống kê không hợp lệ: {kind}")
    if not 2000 <= year <= 2100:
        raise PeriodError(f"Năm không hợp lệ: {year}")
    if kind == "month":
        if not 1 <= number <= 12:
            raise PeriodError(f"Tháng không hợp lệ: {number}")
        first, months = number, 1
    elif kind == "quarter":
        if not 1 <= number <= 4:
            raise PeriodError(f"Quý không hợp lệ: {number}")
        first, months = 3 * (number - 1) + 1, 3
    else:
        first, months = 1, 9 if kind == "nine_months" else 12
    last = first + months
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, first, 1, tzinfo=tz)
    end = dt.datetime(year + (last - 1) // 12, (last - 1) % 12 + 1, 1, tzinfo=tz)
    return Period(kind, year, number, start, end)


@dataclass
class Row:
    name: str
    counts: dict[str, int] = field(default_factory=lambda: {key: 0 for key, _ in MEASURES})


@dataclass
class Statistics:
    period: Period
    by_author: list[Row]
    by_unit: list[Row]
    by_category: list[Row]
    total: Row


def _article_facts(ids):
    """id → (author name, unit name, category title) for articles."""
    from component_sites.news.models import ArticlePage, NewsCategoryPage

    articles = ArticlePage.objects.filter(pk__in=ids).select_related("owner", "contributing_unit")
    parents = {}
    paths = {a.pk: a.path[: -Page.steplen] for a in articles}
    for category in NewsCategoryPage.objects.filter(path__in=set(paths.values())):
        parents[category.path] = category.title
    facts = {}
    for article in articles:
        owner = article.owner
        author = (owner.get_full_name() or owner.get_username()) if owner else NO_AUTHOR
        unit = article.contributing_unit.name if article.contributing_unit else NO_UNIT
        facts[article.pk] = (author, unit, parents.get(paths[article.pk], NO_CATEGORY))
    return facts


def compute(p: Period) -> Statistics:
    """Counts for ``p`` in the current site."""
    from component_sites.news.models import ArticlePage

    page_type = ContentType.objects.get_for_model(Page)
    article_type = ContentType.objects.get_for_model(ArticlePage)
    per_article: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    submitted = WorkflowState.objects.filter(
        base_content_type=page_type,
        content_type=article_type,
        created_at__gte=p.start,
        created_at__lt=p.end,
    ).values_list("object_id", flat=True)
    for object_id in submitted:
        per_article[int(object_id)]["submitted"] += 1
    rejected = TaskState.objects.filter(
        status=TaskState.STATUS_REJECTED,
        finished_at__gte=p.start,
        finished_at__lt=p.end,
        workflow_state__content_type=article_type,
    ).values_list("workflow_state__object_id", flat=True)
    for object_id in rejected:
        per_article[int(object_id)]["rejected"] += 1
    published = list(
        ArticlePage.objects.filter(
            first_published_at__gte=p.start, first_published_at__lt=p.end
        ).values_list("pk", flat=True)
    )
    for pk in published:
        per_article[pk]["published"] += 1
    references = ReferenceIndex.objects.filter(
        base_content_type=page_type, object_id__in=[str(pk) for pk in published]
    )
    for label, model in (("images", get_image_model()), ("documents", get_document_model())):
        used = references.filter(to_content_type=ContentType.objects.get_for_model(model))
        for object_id, _target in set(used.values_list("object_id", "to_object_id")):
            per_article[int(object_id)][label] += 1
    for pk, views in get_counts("article-view", published).items():
        per_article[int(pk)]["views"] += int(views)

    facts = _article_facts(list(per_article))
    tables: list[dict[str, Row]] = [{}, {}, {}]
    total = Row("Tổng cộng")
    for pk, counts in per_article.items():
        if pk not in facts:
            continue  # a deleted article
        for table, name in zip(tables, facts[pk], strict=True):
            row = table.setdefault(name, Row(name))
            for key, value in counts.items():
                row.counts[key] += value
        for key, value in counts.items():
            total.counts[key] += value

    def ordered(table):
        return sorted(table.values(), key=lambda r: (-r.counts["published"], r.name))

    return Statistics(p, *(ordered(t) for t in tables), total)


@dataclass
class RoyaltyLine:
    author: str
    works: dict[str, int]
    images: int
    amount: int


def royalties(p: Period, rates) -> list[RoyaltyLine]:
    """Royalty per author for the articles first published in ``p`` at the site's rates."""
    from component_sites.news.models import ArticlePage, WorkKind

    page_type = ContentType.objects.get_for_model(Page)
    image_type = ContentType.objects.get_for_model(get_image_model())
    articles = list(
        ArticlePage.objects.filter(first_published_at__gte=p.start, first_published_at__lt=p.end)
        .select_related("owner")
        .order_by("first_published_at")
    )
    images = defaultdict(set)
    for object_id, target in ReferenceIndex.objects.filter(
        base_content_type=page_type,
        to_content_type=image_type,
        object_id__in=[str(a.pk) for a in articles],
    ).values_list("object_id", "to_object_id"):
        images[int(object_id)].add(target)
    lines: dict[str, RoyaltyLine] = {}
    for article in articles:
        owner = article.owner
        author = (owner.get_full_name() or owner.get_username()) if owner else NO_AUTHOR
        line = lines.setdefault(
            author, RoyaltyLine(author, {kind: 0 for kind in WorkKind.values}, 0, 0)
        )
        line.works[article.work_kind] += 1
        line.images += len(images[article.pk])
        line.amount += rates.rate_for(article.work_kind) + rates.photo * len(images[article.pk])
    return sorted(lines.values(), key=lambda line: (-line.amount, line.author))
