"""The council's evaluation of member sites (public schema).

A province keeps versioned *criteria sets* (weights adding up to 100).  A *period*
(quarter, 6 months, 9 months, year) pins one version.  Automatic criteria are scored from
*figures* that Celery computes in each site's schema (``tasks.scoring``), each with the list
of what it counted; judged criteria are scored by council members (the mean counts).  A
site's editorial board may file a *self-assessment* first.  Locking freezes the *results*
(total and rank per level); publishing shows them on the province portal.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant

COUNCIL_GROUP = "Hội đồng biên tập tỉnh"


class Metric(models.TextChoices):
    """What an automatic criterion measures; each is computed by the function the app owning
    its data registers (``component_sites.core.figures``, checked by ``scoring.checks``)."""

    ARTICLES = "articles", _("Tin, bài đăng trong kỳ")
    DOCUMENTS = "documents", _("Văn bản đăng trong kỳ")
    PROCEDURES_CURRENT = "procedures_current", _("Thủ tục hành chính đúng phiên bản mới nhất")
    QUESTIONS_ON_TIME = "questions_on_time", _("Câu hỏi trả lời đúng hạn")
    DRAFTS = "drafts", _("Dự thảo đưa ra lấy ý kiến")
    MANDATORY_SECTIONS = "mandatory_sections", _("Chuyên mục bắt buộc có và có nội dung")
    AVAILABILITY = "availability", _("Khả năng truy cập (thời gian hoạt động)")
    RESPONSE_TIME = "response_time", _("Tốc độ phản hồi trang chủ")


class MetricKind(models.TextChoices):
    COUNT = "count", _("số lượng")
    SHARE = "share", _("tỉ lệ %")
    SPEED = "speed", _("mili giây")


METRIC_KINDS: dict[str, str] = {
    Metric.ARTICLES: MetricKind.COUNT,
    Metric.DOCUMENTS: MetricKind.COUNT,
    Metric.DRAFTS: MetricKind.COUNT,
    Metric.PROCEDURES_CURRENT: MetricKind.SHARE,
    Metric.QUESTIONS_ON_TIME: MetricKind.SHARE,
    Metric.MANDATORY_SECTIONS: MetricKind.SHARE,
    Metric.AVAILABILITY: MetricKind.SHARE,
    Metric.RESPONSE_TIME: MetricKind.SPEED,
}


class CriteriaSet(models.Model):
    """One version of a province's criteria; never edited once saved (a change is a new one)."""

    province = models.ForeignKey(
        Tenant,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="criteria_sets",
        limit_choices_to={"level": Tenant.Level.PROVINCE},
    )
    version = models.PositiveIntegerField(_("phiên bản"))
    note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["province", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["province", "version"], name="one_criteria_version")
        ]

    def __str__(self) -> str:
        return f"Bộ tiêu chí phiên bản {self.version}"

    def total_weight(self) -> Decimal:
        return sum((c.weight for c in self.criteria.all()), Decimal(0))


class Criterion(models.Model):
    class Kind(models.TextChoices):
        AUTOMATIC = "automatic", _("Tự động (tính từ dữ liệu của trang)")
        JUDGED = "judged", _("Hội đồng chấm")

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên tiêu chí"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    metric = models.CharField(_("số liệu"), max_length=32, choices=Metric.choices, blank=True)
    weight = models.DecimalField(
        _("trọng số (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    max_score = models.DecimalField(
        _("điểm tối đa"), max_digits=5, decimal_places=2, default=Decimal(10)
    )
    # Counts: the number per month that earns full marks (scaled by the period's months);
    # response time: the milliseconds at or under which the score is full.
    target = models.DecimalField(
        _("mức đạt điểm tối đa"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("hướng dẫn chấm"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="one_criterion_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_automatic(self) -> bool:
        return self.kind == self.Kind.AUTOMATIC

    @property
    def metric_kind(self) -> str:
        return METRIC_KINDS.get(self.metric, "")


class Period(models.Model):
    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quý")
        HALF = "half", _("6 tháng")
        NINE_MONTHS = "nine_months", _("9 tháng")
        YEAR = "year", _("Năm")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang chấm điểm")
        LOCKED = "locked", _("Đã khoá")
        PUBLISHED = "published", _("Đã công bố")

    MONTHS = {Kind.QUARTER: 3, Kind.HALF: 6, Kind.NINE_MONTHS: 9, Kind.YEAR: 12}

    province = models.ForeignKey(
        Tenant, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="scoring_periods"
    )
    kind = models.CharField(_("loại kỳ"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(
        _("thứ tự"), default=1, help_text=_("Quý 1–4; 6 tháng: 1 = đầu năm, 2 = cuối năm.")
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="periods"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    metrics_requested_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        ordering = ["-ends_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "kind", "year", "number"], name="one_period_per_span"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return period_name(self.kind, self.year, self.number)

    @property
    def months(self) -> int:
        return self.MONTHS[self.kind]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_name(kind: str, year: int, number: int = 1) -> str:
    if kind == Period.Kind.QUARTER:
        return f"Quý {ROMAN.get(number, number)}/{year}"
    if kind == Period.Kind.HALF:
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    if kind == Period.Kind.NINE_MONTHS:
        return f"9 tháng năm {year}"
    return f"Năm {year}"


def period_span(kind: str, year: int, number: int = 1) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period; ``ValueError`` for a number the kind does not have."""
    if kind == Period.Kind.QUARTER:
        if number not in (1, 2, 3, 4):
            raise ValueError("Quý phải từ 1 đến 4.")
        first_month, last_month = 3 * number - 2, 3 * number
    elif kind == Period.Kind.HALF:
        if number not in (1, 2):
            raise ValueError("Kỳ 6 tháng chỉ có 1 (đầu năm) hoặc 2 (cuối năm).")
        first_month, last_month = (1, 6) if number == 1 else (7, 12)
    elif kind == Period.Kind.NINE_MONTHS:
        first_month, last_month = 1, 9
    elif kind == Period.Kind.YEAR:
        first_month, last_month = 1, 12
    else:
        raise ValueError("Loại kỳ không hợp lệ.")
    start = datetime.date(year, first_month, 1)
    following = datetime.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


class MetricValue(models.Model):
    """One automatic figure of one site in one period, as last computed by the worker.

    ``value`` is a count, a percentage (0–100) or milliseconds (see ``METRIC_KINDS``);
    ``None`` means nothing could be measured.  ``items`` is what was counted, for the
    drill-down: ``[{"label", "url", "date", "detail", "counted"}]``.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="metric_values")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="metric_values")
    metric = models.CharField(max_length=32, choices=Metric.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    numerator = models.PositiveIntegerField(default=0)
    denominator = models.PositiveIntegerField(null=True)
    note = models.CharField(max_length=500, blank=True)
    items = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu tự động")
        verbose_name_plural = _("số liệu tự động")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "tenant", "metric"], name="one_figure_per_site_metric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.metric}: {self.value}"


class SiteProbe(models.Model):
    """The platform's own checks of a site's home page on one day (availability, speed).

    One row per site and day (upserted by ``tasks.scoring.probe_site``): how many checks,
    how many answered 200 in time, the response times of those in milliseconds, and the
    failures with their time and reason.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="probes")
    day = models.DateField()
    checks = models.PositiveIntegerField(default=0)
    successes = models.PositiveIntegerField(default=0)
    timings_ms = models.JSONField(default=list)
    failures = models.JSONField(default=list)

    class Meta:
        verbose_name = _("kiểm tra truy cập")
        verbose_name_plural = _("kiểm tra truy cập")
        constraints = [models.UniqueConstraint(fields=["tenant", "day"], name="one_probe_day")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day}: {self.successes}/{self.checks}"


class CouncilScore(models.Model):
    """One council member's score of one judged criterion for one site, with a comment."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="council_scores")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="council_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_scores"
    )
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("nhận xét"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điểm của thành viên hội đồng")
        verbose_name_plural = _("điểm của thành viên hội đồng")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "tenant", "criterion", "member"], name="one_score_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.criterion_id}/{self.member_id}: {self.score}"


class SelfAssessment(models.Model):
    """What a site's editorial board says of itself before the council scores."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="self_assessments")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="self_assessments")
    summary = models.TextField(_("báo cáo tự đánh giá"))
    submitted_by = models.CharField(_("người gửi"), max_length=255)
    submitted_at = models.DateTimeField(_("gửi lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tự đánh giá")
        verbose_name_plural = _("tự đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["period", "tenant"], name="one_self_assessment")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.period_id}"


class SelfAssessmentScore(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("điểm tự chấm"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("giải trình"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_self_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.criterion_id}: {self.score}"


class PeriodExclusion(models.Model):
    """A site left out of one period (created or merged mid-period…), with the reason.

    An excluded site is not scored, ranked or waited for at locking; undoing it is audited
    like excluding it.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="exclusions")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("lý do"))
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("trang không đánh giá trong kỳ")
        verbose_name_plural = _("trang không đánh giá trong kỳ")
        constraints = [
            models.UniqueConstraint(fields=["period", "tenant"], name="one_exclusion_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.period_id}: {self.reason[:40]}"


class SiteResult(models.Model):
    """A site's frozen result in a locked period: total out of 100, rank within its level."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="results")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="scoring_results")
    # Copied at locking: a site renamed, merged or archived later keeps its result as it was.
    site_name = models.CharField(max_length=255)
    level = models.CharField(max_length=16, choices=Tenant.Level.choices)
    total = models.DecimalField(max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField()
    of_count = models.PositiveIntegerField()
    # {criterion code: {"score": "7.50", "rank": 2}}
    criteria = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        ordering = ["period", "level", "rank", "site_name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "tenant"], name="one_result_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.site_name}: {self.rank}/{self.of_count}"
