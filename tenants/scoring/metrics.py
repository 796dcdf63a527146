"""The automatic figures of one site for one period, each with the list of what it counted.

Every metric function takes a :class:`Scope` (the site, the period's first and last day,
inclusive, in Asia/Ho_Chi_Minh, and the day of computation) and returns a :class:`Figure`.
The page metrics run inside the site's schema; the procedure catalogue and the probes are
read from public (``tasks.scoring.compute_site_figures`` is the only caller that switches).
What each one counts, exactly, is documented in ``docs/scoring.md`` ("Số liệu tự động").

Drill-down items are ``{"label", "url", "date", "detail", "counted"}``: ``date`` is a
dd/mm/yyyy string, ``counted`` says whether the item is in the figure (a share's numerator,
or a count).
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.html import strip_tags
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from tenants.models import Tenant

from .compute import is_member, period_sites
from .models import Metric, MetricValue, Period, SiteProbe

# The platform's reading of the sections Decree 224/2026 Article 9 requires every portal to
# provide (keys of ``component_sites.core.models.SectionPage.Key``).  The text of Article 9
# was not available when this list was written: the province must check it against the
# decree and correct it here; the figure follows this list and nothing else.
MANDATORY_SECTIONS_ARTICLE_9 = [
    "introduction",
    "news",
    "documents",
    "procedures",
    "questions",
    "drafts",
    "contact",
]

# A section is "filled" when it holds a live, public page of these types (any depth below it).
SECTION_CONTENT_TYPES = {
    "news": ["news.ArticlePage"],
    "documents": ["documents.LegalDocumentPage"],
    "drafts": ["participation.DraftPage"],
    "notices": ["notices.NoticePage"],
    "media": ["media.AlbumPage", "media.VideoPage", "media.AudioPage"],
    "schedule": ["schedule.ScheduleWeekPage"],
}
# Sections whose own text fields count as content (besides live child pages).
SECTION_TEXT_FIELDS = {
    "introduction": ["intro", "natural_conditions", "history", "culture"],
    "contact": ["intro", "address", "phone", "email"],
}

NO_DUE_QUESTIONS = "Không có câu hỏi đến hạn trong kỳ"
NOT_YET_DUE = "chưa đến hạn"

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


@dataclass
class Figure:
    """One computed figure: ``value`` None means nothing could be measured (see ``note``)."""

    value: Decimal | None
    numerator: int = 0
    denominator: int | None = None
    note: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Scope:
    """What a metric function measures: one site, one span of days, as of one day."""

    tenant: Tenant
    starts_on: datetime.date
    ends_on: datetime.date
    today: datetime.date
    base_url: str = ""

    @classmethod
    def of(cls, period: Period, tenant: Tenant, today: datetime.date | None = None) -> Scope:
        from tenants.onboarding import site_base_url

        return cls(
            tenant=tenant,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            today=today or timezone.localdate(),
            base_url=site_base_url(tenant),
        )

    @property
    def start(self) -> datetime.datetime:
        """The first instant of the period (midnight of its first day, local time)."""
        return _local_midnight(self.starts_on)

    @property
    def end(self) -> datetime.datetime:
        """The first instant after the period (exclusive)."""
        return _local_midnight(self.ends_on + datetime.timedelta(days=1))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


# --- helpers ---------------------------------------------------------------------------


def share(numerator: int, denominator: int) -> Decimal:
    """``numerator / denominator`` as a percentage with two decimals."""
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(
        TWO_PLACES, rounding=ROUND_HALF_UP
    )


def dmy(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.strftime("%d/%m/%Y")


def item(label: str, url: str = "", date=None, detail: str = "", counted: bool = True) -> dict:
    return {
        "label": label,
        "url": url,
        "date": date if isinstance(date, str) else dmy(date),
        "detail": detail,
        "counted": counted,
    }


def site_home():
    """The home page of the current schema's site (None for a schema without one)."""
    from wagtail.models import Site

    site = (
        Site.objects.filter(is_default_site=True).select_related("root_page").first()
        or Site.objects.select_related("root_page").order_by("pk").first()
    )
    return site.root_page if site else None


def page_url(scope: Scope, home, url_path: str) -> str:
    """The address citizens use for a page below ``home`` (empty for one outside it)."""
    if home is None or not url_path.startswith(home.url_path):
        return ""
    return scope.base_url + "/" + url_path[len(home.url_path) :]


def _has_text(value) -> bool:
    return bool(strip_tags(str(value or "")).replace("&nbsp;", " ").strip())


def _published_pages(model, scope: Scope, home):
    """Live, public pages of ``model`` below the site's home, first published in the period."""
    return (
        model.objects.live()
        .public()
        .descendant_of(home)
        .filter(first_published_at__gte=scope.start, first_published_at__lt=scope.end)
        .order_by("first_published_at", "pk")
    )


def _count_figure(items: list[dict]) -> Figure:
    return Figure(value=Decimal(len(items)), numerator=len(items), items=items)


# --- content published ------------------------------------------------------------------


def articles(scope: Scope) -> Figure:
    """News articles (``news.ArticlePage``) live and public, first published in the period."""
    from component_sites.news.models import ArticlePage

    home = site_home()
    if home is None:
        return Figure(Decimal(0), note="Trang chưa có trang chủ.")
    pages = _published_pages(ArticlePage, scope, home).only(
        "title", "url_path", "first_published_at", "publication_date"
    )
    return _count_figure(
        [
            item(
                page.title,
                page_url(scope, home, page.url_path),
                page.first_published_at,
                detail=f"ngày đăng ghi trên bài {dmy(page.publication_date)}"
                if dmy(page.publication_date) != dmy(page.first_published_at)
                else "",
            )
            for page in pages
        ]
    )


def documents(scope: Scope) -> Figure:
    """Legal documents (``documents.LegalDocumentPage``) live and public, first published."""
    from component_sites.documents.models import LegalDocumentPage

    home = site_home()
    if home is None:
        return Figure(Decimal(0), note="Trang chưa có trang chủ.")
    pages = _published_pages(LegalDocumentPage, scope, home).only(
        "title", "url_path", "first_published_at", "number", "issue_date"
    )
    return _count_figure(
        [
            item(
                page.title,
                page_url(scope, home, page.url_path),
                page.first_published_at,
                detail=f"Số {page.number}, ban hành {dmy(page.issue_date)}",
            )
            for page in pages
        ]
    )


def drafts(scope: Scope) -> Figure:
    """Drafts for comment (``participation.DraftPage``) live and public, opening in the period."""
    from component_sites.participation.models import DraftPage

    home = site_home()
    if home is None:
        return Figure(Decimal(0), note="Trang chưa có trang chủ.")
    pages = (
        DraftPage.objects.live()
        .public()
        .descendant_of(home)
        .filter(opens_on__gte=scope.starts_on, opens_on__lte=scope.ends_on)
        .order_by("opens_on", "pk")
        .only("title", "url_path", "opens_on", "closes_on", "agency")
    )
    return _count_figure(
        [
            item(
                page.title,
                page_url(scope, home, page.url_path),
                page.opens_on,
                detail=f"Lấy ý kiến {dmy(page.opens_on)} – {dmy(page.closes_on)}; {page.agency}",
            )
            for page in pages
        ]
    )


# --- procedures ---------------------------------------------------------------------------


def procedures_current(scope: Scope) -> Figure:
    """Share of the procedures the site should hold whose local copy is the latest version.

    The site should hold every *active* master record ``procedures_for_tenant`` gives it
    (the province-wide procedures of its level plus the own procedures of its ancestors,
    and its own); withdrawn masters are left out.  A copy at the master's current version
    is up to date; an older copy or no copy is not.
    """
    from component_sites.procedures.models import ProcedureCopy, ProcedureIndexPage
    from tenants.procedures.models import Procedure
    from tenants.procedures.syndication import procedures_for_tenant

    with schema_context(get_public_schema_name()):
        masters = list(
            procedures_for_tenant(scope.tenant)
            .filter(status=Procedure.Status.ACTIVE)
            .order_by("code")
            .values_list("code", "name", "version")
        )
    if not masters:
        return Figure(
            None,
            denominator=0,
            note="Danh mục của tỉnh không có thủ tục nào áp dụng cho trang này.",
        )
    held = {
        code: (version, synced_at)
        for code, version, synced_at in ProcedureCopy.objects.filter(
            code__in=[code for code, _name, _version in masters]
        ).values_list("code", "version", "synced_at")
    }
    home = site_home()
    index = (
        ProcedureIndexPage.objects.child_of(home).live().only("url_path").first() if home else None
    )
    items = []
    for code, name, version in masters:
        local, synced_at = held.get(code, (None, None))
        current = local is not None and local >= version
        if local is None:
            detail = f"Chưa có trên trang; phiên bản mới nhất {version}"
        else:
            detail = f"Phiên bản trên trang {local}; mới nhất {version}"
        url = ""
        if index is not None and local is not None:
            url = page_url(scope, home, index.url_path) + code.replace(".", "-") + "/"
        items.append(item(f"{code} – {name}", url, synced_at, detail, counted=current))
    numerator = sum(1 for i in items if i["counted"])
    return Figure(share(numerator, len(items)), numerator, len(items), items=items)


# --- questions ----------------------------------------------------------------------------


def questions_on_time(scope: Scope) -> Figure:
    """Share of the questions and feedback submitted in the period answered by their deadline.

    Rejected ones are left out.  A question is due for the figure once it is answered or its
    due date has passed (as of the day of computation); it is on time when the local date of
    its answer is on or before the due date.  Questions neither answered nor yet due are
    listed (not counted, not in the denominator).
    """
    from component_sites.participation.models import Question, QuestionIndexPage

    home = site_home()
    index = (
        QuestionIndexPage.objects.child_of(home).live().only("url_path").first() if home else None
    )
    index_url = page_url(scope, home, index.url_path) if index is not None else ""
    rows = (
        Question.objects.filter(submitted_at__gte=scope.start, submitted_at__lt=scope.end)
        .exclude(status=Question.Status.REFUSED)
        .order_by("submitted_at", "pk")
        .only("tracking_code", "title", "submitted_at", "due_date", "answered_at", "status")
    )
    items = []
    due = on_time = 0
    for question in rows:
        label = f"{question.tracking_code} – {question.title}"
        url = ""
        if index_url and question.status == Question.Status.PUBLISHED:
            url = f"{index_url}{question.pk}/"
        deadline = f"hạn {dmy(question.due_date)}"
        if question.answered_at is not None:
            answered_on = timezone.localdate(question.answered_at)
            late_days = (answered_on - question.due_date).days
            counted = late_days <= 0
            detail = f"{deadline}; trả lời {dmy(answered_on)}" + (
                " – đúng hạn" if counted else f" – quá hạn {late_days} ngày"
            )
        elif question.due_date < scope.today:
            counted = False
            detail = (
                f"{deadline}; chưa trả lời – quá hạn "
                f"{(scope.today - question.due_date).days} ngày (tính đến {dmy(scope.today)})"
            )
        else:
            items.append(
                item(label, url, question.submitted_at, f"{deadline}; {NOT_YET_DUE}", False)
            )
            continue
        due += 1
        on_time += counted
        items.append(item(label, url, question.submitted_at, detail, counted))
    if not due:
        # An empty base earns nothing (0 questions must not give full marks): no value.
        return Figure(None, 0, 0, note=NO_DUE_QUESTIONS, items=items)
    return Figure(share(on_time, due), on_time, due, items=items)


# --- mandatory sections -------------------------------------------------------------------


def _section_content(key: str, section) -> tuple[bool, str]:
    """Whether the live section page ``section`` has content, and what was found."""
    from django.apps import apps
    from wagtail.models import Page

    from component_sites.procedures.models import active_copies

    if key == "procedures":
        count = active_copies().count()
        return count > 0, f"{count} thủ tục đang áp dụng"
    if key == "questions":
        # The form to send a question is the section's content: the page serves it.
        return True, "có trang gửi và tra cứu câu hỏi"
    below = Page.objects.descendant_of(section).live().public()
    if key in SECTION_CONTENT_TYPES:
        models = [apps.get_model(label) for label in SECTION_CONTENT_TYPES[key]]
        count = below.type(*models).count()
        return count > 0, f"{count} trang nội dung đang hiển thị"
    filled_fields = [
        name
        for name in SECTION_TEXT_FIELDS.get(key, ["intro"])
        if _has_text(getattr(section, name, ""))
    ]
    children = below.count()
    parts = []
    if filled_fields:
        parts.append("có nội dung giới thiệu/thông tin")
    if children:
        parts.append(f"{children} trang con đang hiển thị")
    return bool(filled_fields or children), "; ".join(parts) or "chưa có nội dung"


def mandatory_sections(scope: Scope) -> Figure:
    """Share of ``MANDATORY_SECTIONS_ARTICLE_9`` present (live, public, directly under the
    home page, found by ``section_key``) and filled (see ``_section_content``)."""
    from component_sites.core.models import SectionPage

    home = site_home()
    sections: dict[str, SectionPage] = {}
    if home is not None:
        for section in (
            SectionPage.objects.child_of(home)
            .live()
            .public()
            .filter(section_key__in=MANDATORY_SECTIONS_ARTICLE_9)
            .order_by("path")
            .specific()
        ):
            sections.setdefault(section.section_key, section)
    labels = dict(SectionPage.Key.choices)
    items = []
    for key in MANDATORY_SECTIONS_ARTICLE_9:
        label = str(labels.get(key, key))
        section = sections.get(key)
        if section is None:
            items.append(
                item(label, detail="Chưa có chuyên mục (hoặc chưa xuất bản)", counted=False)
            )
            continue
        filled, found = _section_content(key, section)
        detail = ("Có chuyên mục; " if filled else "Có chuyên mục nhưng chưa có nội dung; ") + found
        items.append(
            item(
                f"{label} ({section.title})" if section.title != label else label,
                page_url(scope, home, section.url_path),
                section.last_published_at,
                detail,
                counted=filled,
            )
        )
    numerator = sum(1 for i in items if i["counted"])
    return Figure(share(numerator, len(items)), numerator, len(items), items=items)


# --- availability and speed (the platform's probes, in public) ----------------------------


def _probes(scope: Scope) -> list[SiteProbe]:
    with schema_context(get_public_schema_name()):
        return list(
            SiteProbe.objects.filter(
                tenant_id=scope.tenant.pk, day__gte=scope.starts_on, day__lte=scope.ends_on
            ).order_by("day")
        )


def _median_ms(timings: list) -> int | None:
    values = [float(t) for t in timings]
    return round(statistics.median(values)) if values else None


def _probe_items(scope: Scope, probes: list[SiteProbe], counted: Callable[[SiteProbe], bool]):
    home_url = scope.base_url + "/"
    items = []
    for probe in probes:
        median = _median_ms(probe.timings_ms)
        detail = f"{probe.successes}/{probe.checks} lần kiểm tra thành công"
        if median is not None:
            detail += f"; trung vị {median} ms"
        items.append(
            item(f"Ngày {dmy(probe.day)}", home_url, probe.day, detail, counted=counted(probe))
        )
        for failure in probe.failures:
            items.append(
                item(
                    f"Lỗi ngày {dmy(probe.day)} lúc {failure.get('time', '')}",
                    home_url,
                    probe.day,
                    str(failure.get("reason", "")),
                    counted=False,
                )
            )
    return items


def availability(scope: Scope) -> Figure:
    """Share of the platform's checks of the home page answered 200 in time."""
    probes = _probes(scope)
    checks = sum(p.checks for p in probes)
    successes = sum(p.successes for p in probes)
    items = _probe_items(scope, probes, lambda p: p.checks > 0)
    if not checks:
        return Figure(None, 0, 0, note="Chưa có lần kiểm tra truy cập nào trong kỳ.", items=items)
    return Figure(share(successes, checks), successes, checks, items=items)


def response_time(scope: Scope) -> Figure:
    """Median response time (ms) of the successful checks of the period."""
    probes = _probes(scope)
    checks = sum(p.checks for p in probes)
    timings = [t for p in probes for t in p.timings_ms]
    items = _probe_items(scope, probes, lambda p: bool(p.timings_ms))
    if not checks:
        return Figure(None, 0, 0, note="Chưa có lần kiểm tra truy cập nào trong kỳ.", items=items)
    if not timings:
        return Figure(
            None, 0, checks, note="Không có lần kiểm tra nào thành công trong kỳ.", items=items
        )
    return Figure(Decimal(_median_ms(timings)), len(timings), checks, items=items)


METRICS: dict[str, Callable[[Scope], Figure]] = {
    Metric.ARTICLES: articles,
    Metric.DOCUMENTS: documents,
    Metric.PROCEDURES_CURRENT: procedures_current,
    Metric.QUESTIONS_ON_TIME: questions_on_time,
    Metric.DRAFTS: drafts,
    Metric.MANDATORY_SECTIONS: mandatory_sections,
    Metric.AVAILABILITY: availability,
    Metric.RESPONSE_TIME: response_time,
}


# --- computing and storing a site's figures -----------------------------------------------


def compute_site(
    period: Period, tenant: Tenant, today: datetime.date | None = None
) -> dict[str, Figure]:
    """Every figure of ``tenant`` for ``period``, computed in the site's schema."""
    scope = Scope.of(period, tenant, today)
    with schema_context(tenant.schema_name):
        return {metric: function(scope) for metric, function in METRICS.items()}


def store_site(period_id: int, tenant_id: int, figures: dict[str, Figure]) -> bool:
    """Upsert the figures in public unless the period has been locked meanwhile.

    One transaction: the period row is held ``FOR SHARE`` (locking takes it ``FOR UPDATE``,
    so a period locked while the figures were computed keeps its frozen ones), the rows are
    written with one ``INSERT … ON CONFLICT`` and stamped with the database's clock, the
    same clock as ``Period.metrics_requested_at`` (see :func:`figures_progress`).  Writing
    the same figures again changes nothing but ``computed_at``.
    """
    with schema_context(get_public_schema_name()), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status FROM {Period._meta.db_table} WHERE id = %s FOR SHARE",  # noqa: S608
                [period_id],
            )
            row = cursor.fetchone()
        if row is None or row[0] != Period.Status.OPEN:
            return False
        MetricValue.objects.bulk_create(
            [
                MetricValue(
                    period_id=period_id,
                    tenant_id=tenant_id,
                    metric=metric,
                    value=figure.value,
                    numerator=figure.numerator,
                    denominator=figure.denominator,
                    note=figure.note[:500],
                    items=figure.items,
                )
                for metric, figure in figures.items()
            ],
            update_conflicts=True,
            unique_fields=["period", "tenant", "metric"],
            update_fields=["value", "numerator", "denominator", "note", "items"],
        )
        MetricValue.objects.filter(
            period_id=period_id, tenant_id=tenant_id, metric__in=list(figures)
        ).update(computed_at=Now())
    return True


def compute_and_store(period_id: int, tenant_id: int, today=None) -> int | None:
    """Compute and store one site's figures; None (and nothing written) when refused.

    Refused: the period is missing or not open, the site is missing, not a member site of
    the period's province, or has no schema.
    """
    with schema_context(get_public_schema_name()):
        period = Period.objects.select_related("province").filter(pk=period_id).first()
        tenant = Tenant.objects.filter(pk=tenant_id).first()
        if period is None or not period.is_open or tenant is None:
            return None
        if not is_member(period.province, tenant) or not schema_exists(tenant.schema_name):
            return None
    figures = compute_site(period, tenant, today)
    if not store_site(period_id, tenant_id, figures):
        return None
    return len(figures)


def mark_requested(period: Period) -> None:
    """Stamp ``metrics_requested_at`` with the database's clock (see ``store_site``)."""
    with schema_context(get_public_schema_name()):
        Period.objects.filter(pk=period.pk).update(metrics_requested_at=Now())
        period.refresh_from_db(fields=["metrics_requested_at"])


def figures_progress(period: Period) -> tuple[int, int]:
    """(sites whose figures are all computed since the last request, member sites).

    Before any request (``metrics_requested_at`` empty) a site counts as done once it has
    every figure at all.
    """
    with schema_context(get_public_schema_name()):
        site_ids = [site.pk for site in period_sites(period)]
        rows = MetricValue.objects.filter(period_id=period.pk, tenant_id__in=site_ids)
        if period.metrics_requested_at is not None:
            rows = rows.filter(computed_at__gte=period.metrics_requested_at)
        counts = rows.values("tenant_id").annotate(figures=Count("metric", distinct=True))
        done = sum(1 for row in counts if row["figures"] >= len(Metric.values))
    return done, len(site_ids)
