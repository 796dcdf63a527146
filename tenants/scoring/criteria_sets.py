"""What the console and the sites' admins do with scoring; each change validated and audited.

Every operation raises ``ScoringError`` with a message for the person (and changes nothing)
when the input is wrong or the period's state forbids it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.log_actions import log

from tenants.models import Tenant

from . import compute
from .models import (
    COUNCIL_GROUP,
    METRIC_KINDS,
    CouncilScore,
    CriteriaSet,
    Criterion,
    Metric,
    MetricKind,
    Period,
    PeriodExclusion,
    SelfAssessment,
    SelfAssessmentScore,
    SiteResult,
    period_span,
)
from .results import format_number

HUNDRED = Decimal(100)


class ScoringError(Exception):
    """Refused; the message says why, in words for the person."""


def is_council_member(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.groups.filter(name=COUNCIL_GROUP).exists()
    )


def create_council_member(username: str, full_name: str, password: str, email: str = ""):
    """A console account that scores (group "Hội đồng biên tập tỉnh", not staff).

    The full name is split the Vietnamese way: the given name is the last word, so that
    ``get_full_name()`` ("first last") reads it back unchanged.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    first, _, last = full_name.strip().rpartition(" ")
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, email=email, password=password, first_name=first, last_name=last
        )
        user.groups.add(Group.objects.get_or_create(name=COUNCIL_GROUP)[0])
    return user


def _audit(instance, action: str, user, **data) -> None:
    with schema_context(get_public_schema_name()):
        log(
            instance,
            action,
            user=user if getattr(user, "is_authenticated", False) else None,
            data=data,
            title=str(instance),
        )


# --- criteria sets ---------------------------------------------------------------------


@dataclass
class CriterionSpec:
    code: str
    name: str
    kind: str
    weight: Decimal
    max_score: Decimal = Decimal(10)
    metric: str = ""
    target: Decimal | None = None
    description: str = ""


def validate_criteria(specs: list[CriterionSpec]) -> list[str]:
    """Every reason ``specs`` cannot be saved (empty when it can)."""
    errors: list[str] = []
    if not specs:
        return ["Bộ tiêu chí phải có ít nhất một tiêu chí."]
    codes = [s.code for s in specs]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(f"Mã tiêu chí “{code}” bị trùng.")
    metrics = [s.metric for s in specs if s.kind == Criterion.Kind.AUTOMATIC]
    for metric in sorted({m for m in metrics if m and metrics.count(m) > 1}):
        errors.append(f"Số liệu “{Metric(metric).label}” được dùng cho hai tiêu chí.")
    for spec in specs:
        label = spec.name or spec.code
        if spec.weight <= 0:
            errors.append(f"Tiêu chí “{label}”: trọng số phải lớn hơn 0.")
        if spec.max_score <= 0:
            errors.append(f"Tiêu chí “{label}”: điểm tối đa phải lớn hơn 0.")
        if spec.kind == Criterion.Kind.AUTOMATIC:
            if spec.metric not in Metric.values:
                errors.append(f"Tiêu chí tự động “{label}” phải chọn số liệu để tính.")
            elif METRIC_KINDS[spec.metric] in (MetricKind.COUNT, MetricKind.SPEED) and not (
                spec.target and spec.target > 0
            ):
                errors.append(
                    f"Tiêu chí “{label}”: cần mức đạt điểm tối đa "
                    + (
                        "(số lượng mỗi tháng)."
                        if METRIC_KINDS[spec.metric] == MetricKind.COUNT
                        else "(mili giây)."
                    )
                )
        elif spec.kind == Criterion.Kind.JUDGED:
            if spec.metric:
                errors.append(f"Tiêu chí “{label}” do hội đồng chấm không dùng số liệu tự động.")
        else:
            errors.append(f"Tiêu chí “{label}”: loại tiêu chí không hợp lệ.")
    total = sum((s.weight for s in specs), Decimal(0))
    if total != HUNDRED:
        errors.append(f"Tổng trọng số các tiêu chí phải bằng 100 (hiện là {format_number(total)}).")
    return errors


@transaction.atomic
def save_criteria_set(
    province: Tenant, specs: list[CriterionSpec], note: str = "", user=None
) -> CriteriaSet:
    """Save ``specs`` as the next version of the province's criteria."""
    errors = validate_criteria(specs)
    if errors:
        raise ScoringError(" ".join(errors))
    latest = (
        CriteriaSet.objects.select_for_update()
        .filter(province=province)
        .order_by("-version")
        .first()
    )
    criteria_set = CriteriaSet.objects.create(
        province=province,
        version=(latest.version + 1) if latest else 1,
        note=note.strip()[:500],
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            position=position,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            metric=spec.metric if spec.kind == Criterion.Kind.AUTOMATIC else "",
            weight=spec.weight,
            max_score=spec.max_score,
            target=spec.target if spec.kind == Criterion.Kind.AUTOMATIC else None,
            description=spec.description,
        )
        for position, spec in enumerate(specs)
    )
    _audit(criteria_set, "scoring.criteria", user, version=criteria_set.version, note=note)
    return criteria_set


# The suggested first version: the figures the platform can measure and the council's
# three judgements (weights add up to 100).
DEFAULT_CRITERIA = [
    CriterionSpec(
        "tin-bai",
        "Cập nhật tin, bài",
        "automatic",
        Decimal(15),
        metric=Metric.ARTICLES,
        target=Decimal(8),
        description="Số tin, bài đăng trong kỳ; tối đa khi bình quân 8 tin, bài mỗi tháng.",
    ),
    CriterionSpec(
        "van-ban",
        "Đăng tải văn bản",
        "automatic",
        Decimal(10),
        metric=Metric.DOCUMENTS,
        target=Decimal(4),
        description="Số văn bản đăng trong kỳ; tối đa khi bình quân 4 văn bản mỗi tháng.",
    ),
    CriterionSpec(
        "thu-tuc",
        "Thủ tục hành chính cập nhật",
        "automatic",
        Decimal(15),
        metric=Metric.PROCEDURES_CURRENT,
        description="Tỉ lệ thủ tục của trang đúng phiên bản mới nhất trong danh mục của tỉnh.",
    ),
    CriterionSpec(
        "hoi-dap",
        "Trả lời hỏi – đáp đúng hạn",
        "automatic",
        Decimal(10),
        metric=Metric.QUESTIONS_ON_TIME,
        description="Tỉ lệ câu hỏi, phản ánh được trả lời trong hạn 15 ngày làm việc.",
    ),
    CriterionSpec(
        "du-thao",
        "Lấy ý kiến dự thảo",
        "automatic",
        Decimal(5),
        metric=Metric.DRAFTS,
        target=Decimal("0.5"),
        description="Số dự thảo đưa ra lấy ý kiến trong kỳ; tối đa khi có 1 dự thảo mỗi 2 tháng.",
    ),
    CriterionSpec(
        "chuyen-muc",
        "Chuyên mục bắt buộc",
        "automatic",
        Decimal(10),
        metric=Metric.MANDATORY_SECTIONS,
        description="Tỉ lệ chuyên mục bắt buộc có trên trang và có nội dung.",
    ),
    CriterionSpec(
        "truy-cap",
        "Khả năng truy cập",
        "automatic",
        Decimal(5),
        metric=Metric.AVAILABILITY,
        description="Tỉ lệ lần kiểm tra tự động trang chủ trả lời bình thường.",
    ),
    CriterionSpec(
        "toc-do",
        "Tốc độ tải trang",
        "automatic",
        Decimal(5),
        metric=Metric.RESPONSE_TIME,
        target=Decimal(1000),
        description="Thời gian phản hồi trung vị của trang chủ; tối đa khi không quá 1 giây, "
        "0 điểm khi từ 4 giây.",
    ),
    CriterionSpec(
        "chat-luong",
        "Chất lượng nội dung",
        "judged",
        Decimal(10),
        description="Thông tin chính xác, đầy đủ, đúng quy định, hữu ích cho người dân.",
    ),
    CriterionSpec(
        "kip-thoi",
        "Tính kịp thời",
        "judged",
        Decimal(10),
        description="Thông tin chỉ đạo, điều hành và sự kiện của địa phương đăng kịp thời.",
    ),
    CriterionSpec(
        "trinh-bay",
        "Hình thức trình bày",
        "judged",
        Decimal(5),
        description="Bố cục, hình ảnh, chính tả, dễ đọc trên điện thoại.",
    ),
]


def specs_of(criteria_set: CriteriaSet | None) -> list[CriterionSpec]:
    if criteria_set is None:
        return list(DEFAULT_CRITERIA)
    return [
        CriterionSpec(
            code=c.code,
            name=c.name,
            kind=c.kind,
            weight=c.weight,
            max_score=c.max_score,
            metric=c.metric,
            target=c.target,
            description=c.description,
        )
        for c in criteria_set.criteria.all()
    ]


def latest_criteria_set(province: Tenant) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(province=province).order_by("-version").first()


# --- periods -----------------------------------------------------------------------------


def create_period(
    province: Tenant, kind: str, year: int, number: int = 1, criteria_set=None, user=None
) -> Period:
    if province.level != Tenant.Level.PROVINCE:
        raise ScoringError("Kỳ đánh giá chỉ lập cho cấp tỉnh.")
    if kind not in Period.Kind.values:
        raise ScoringError("Loại kỳ đánh giá không hợp lệ.")
    if kind in (Period.Kind.NINE_MONTHS, Period.Kind.YEAR):
        number = 1
    if not 2000 <= int(year) <= 2100:
        raise ScoringError("Năm đánh giá không hợp lệ.")
    try:
        starts_on, ends_on = period_span(kind, int(year), int(number))
    except ValueError as error:
        raise ScoringError(str(error)) from None
    criteria_set = criteria_set or latest_criteria_set(province)
    if criteria_set is None:
        raise ScoringError("Chưa có bộ tiêu chí: hãy lập bộ tiêu chí trước khi mở kỳ đánh giá.")
    if criteria_set.province_id != province.pk:
        raise ScoringError("Bộ tiêu chí không thuộc tỉnh này.")
    with transaction.atomic():
        if Period.objects.filter(province=province, kind=kind, year=year, number=number).exists():
            raise ScoringError("Kỳ đánh giá này đã được lập.")
        period = Period.objects.create(
            province=province,
            kind=kind,
            year=year,
            number=number,
            starts_on=starts_on,
            ends_on=ends_on,
            criteria_set=criteria_set,
        )
        _audit(period, "scoring.period", user, criteria_version=criteria_set.version)
    return period


def _locked_period(period_id: int) -> Period:
    return (
        Period.objects.select_for_update()
        .select_related("criteria_set", "province")
        .get(pk=period_id)
    )


def parse_score(raw, criterion: Criterion) -> Decimal:
    """A score typed by a person ("7,5" or "7.5") checked against the criterion's range."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        raise ScoringError(f"Chưa nhập điểm tiêu chí “{criterion.name}”.")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ScoringError(f"Điểm tiêu chí “{criterion.name}” phải là một số.") from None
    if not value.is_finite() or value < 0 or value > criterion.max_score:
        raise ScoringError(
            f"Điểm tiêu chí “{criterion.name}” phải từ 0 đến {format_number(criterion.max_score)}."
        )
    if value != value.quantize(Decimal("0.01")):
        raise ScoringError(f"Điểm tiêu chí “{criterion.name}” lấy tối đa hai chữ số thập phân.")
    return value


def _judged(period: Period) -> dict[int, Criterion]:
    return {c.pk: c for c in period.criteria_set.criteria.all() if c.kind == Criterion.Kind.JUDGED}


def _check_site(period: Period, tenant: Tenant) -> None:
    if not compute.is_member(period.province, tenant):
        raise ScoringError("Trang này không thuộc danh sách trang thành viên được đánh giá.")


def save_council_scores(
    period: Period, tenant: Tenant, member, entries: dict[int, tuple[str, str]]
) -> list[CouncilScore]:
    """Store a council member's scores of one site: ``{criterion id: (score, comment)}``.

    All or nothing: one wrong entry stores none of them.
    """
    if not is_council_member(member):
        raise ScoringError("Chỉ thành viên Hội đồng biên tập mới được chấm điểm.")
    with transaction.atomic():
        period = _locked_period(period.pk)
        if not period.is_open:
            raise ScoringError(f"Kỳ {period.name} đã khoá: không thể chấm hay sửa điểm.")
        _check_site(period, tenant)
        judged = _judged(period)
        unknown = set(entries) - set(judged)
        if unknown:
            raise ScoringError("Tiêu chí không thuộc bộ tiêu chí của kỳ này.")
        missing = [judged[pk].name for pk in judged if pk not in entries]
        if missing:
            raise ScoringError("Chưa chấm đủ các tiêu chí: " + ", ".join(missing) + ".")
        cleaned = []
        errors = []
        for pk, (raw_score, comment) in entries.items():
            criterion = judged[pk]
            try:
                score = parse_score(raw_score, criterion)
            except ScoringError as error:
                errors.append(str(error))
                continue
            comment = (comment or "").strip()
            if not comment:
                errors.append(f"Cần nhận xét cho tiêu chí “{criterion.name}”.")
                continue
            cleaned.append((criterion, score, comment[:4000]))
        if errors:
            raise ScoringError(" ".join(errors))
        saved = []
        for criterion, score, comment in cleaned:
            row, _created = CouncilScore.objects.update_or_create(
                period=period,
                tenant=tenant,
                criterion=criterion,
                member=member,
                defaults={"score": score, "comment": comment},
            )
            saved.append(row)
        _audit(
            period,
            "scoring.score",
            member,
            site=tenant.name,
            scores={c.code: str(s) for c, s, _comment in cleaned},
        )
    return saved


def save_self_assessment(
    period: Period, tenant: Tenant, summary: str, entries: dict[int, tuple[str, str]], by: str
) -> SelfAssessment:
    """A site's self-assessment (its own view of the judged criteria) while the period is open."""
    summary = (summary or "").strip()
    with transaction.atomic():
        period = _locked_period(period.pk)
        if not period.is_open:
            raise ScoringError(f"Kỳ {period.name} đã khoá: không thể gửi tự đánh giá.")
        _check_site(period, tenant)
        if not summary:
            raise ScoringError("Cần nhập báo cáo tự đánh giá.")
        judged = _judged(period)
        if set(entries) - set(judged):
            raise ScoringError("Tiêu chí không thuộc bộ tiêu chí của kỳ này.")
        cleaned, errors = [], []
        for pk, criterion in judged.items():
            raw, comment = entries.get(pk, ("", ""))
            try:
                cleaned.append((criterion, parse_score(raw, criterion), (comment or "").strip()))
            except ScoringError as error:
                errors.append(str(error))
        if errors:
            raise ScoringError(" ".join(errors))
        assessment, _created = SelfAssessment.objects.update_or_create(
            period=period, tenant=tenant, defaults={"summary": summary, "submitted_by": by[:255]}
        )
        assessment.scores.all().delete()
        SelfAssessmentScore.objects.bulk_create(
            SelfAssessmentScore(assessment=assessment, criterion=c, score=s, comment=m[:4000])
            for c, s, m in cleaned
        )
    return assessment


def lock(period: Period, user=None) -> list[SiteResult]:
    """Freeze the results; refused while a site lacks figures or a judged score."""
    with transaction.atomic():
        period = _locked_period(period.pk)
        if period.status != Period.Status.OPEN:
            raise ScoringError(f"Kỳ {period.name} đã khoá rồi.")
        rows = compute.site_scores(period)
        if not rows:
            raise ScoringError("Không có trang thành viên nào để đánh giá.")
        automatic = [c for c in period.criteria_set.criteria.all() if c.is_automatic]
        no_figures = [
            r.tenant.name for r in rows if any(c.metric not in r.figures for c in automatic)
        ]
        if no_figures:
            raise ScoringError(
                "Chưa tính xong số liệu tự động của: "
                + ", ".join(no_figures[:10])
                + ("…" if len(no_figures) > 10 else "")
                + ". Hãy bấm “Tính lại số liệu” và chờ hoàn tất."
            )
        unscored = [r.tenant.name for r in rows if r.missing]
        if unscored:
            raise ScoringError(
                "Hội đồng chưa chấm đủ tiêu chí cho: "
                + ", ".join(unscored[:10])
                + ("…" if len(unscored) > 10 else "")
                + ". Trang thành lập hoặc sáp nhập giữa kỳ có thể được loại khỏi kỳ này "
                "(ghi lý do) ở mục “Trang không đánh giá trong kỳ”."
            )
        results = compute.freeze(period)
        period.status = Period.Status.LOCKED
        period.locked_at = timezone.now()
        period.save(update_fields=["status", "locked_at"])
        _audit(period, "scoring.lock", user, sites=len(results))
    return results


def joined_mid_period(period: Period, site: Tenant) -> bool:
    """Created after the period began (a new or merged unit): a candidate for exclusion."""
    return timezone.localdate(site.created_at) > period.starts_on


def exclude_site(period: Period, site: Tenant, reason: str, user=None) -> PeriodExclusion:
    """Leave ``site`` out of ``period`` (not scored, ranked or waited for), audited."""
    reason = (reason or "").strip()
    with transaction.atomic():
        period = _locked_period(period.pk)
        if period.status != Period.Status.OPEN:
            raise ScoringError(f"Kỳ {period.name} đã khoá: không loại trang được nữa.")
        if not compute.is_member(period.province, site):
            raise ScoringError(f"{site.name} không phải trang thành viên của tỉnh này.")
        if not reason:
            raise ScoringError("Ghi lý do loại trang khỏi kỳ đánh giá.")
        if len(reason) > 1000:
            raise ScoringError("Lý do dài quá 1.000 ký tự.")
        if period.exclusions.filter(tenant=site).exists():
            raise ScoringError(f"{site.name} đã được loại khỏi kỳ {period.name}.")
        exclusion = PeriodExclusion.objects.create(
            period=period,
            tenant=site,
            reason=reason,
            excluded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        _audit(period, "scoring.exclude", user, site=site.name, reason=reason)
    return exclusion


def include_site(period: Period, site: Tenant, user=None) -> None:
    """Undo an exclusion while the period is open, audited."""
    with transaction.atomic():
        period = _locked_period(period.pk)
        if period.status != Period.Status.OPEN:
            raise ScoringError(f"Kỳ {period.name} đã khoá: không đưa trang trở lại được.")
        deleted, _ = period.exclusions.filter(tenant=site).delete()
        if not deleted:
            raise ScoringError(f"{site.name} không bị loại khỏi kỳ {period.name}.")
        _audit(period, "scoring.include", user, site=site.name)


def unlock(period: Period, user=None) -> None:
    with transaction.atomic():
        period = _locked_period(period.pk)
        if period.status == Period.Status.PUBLISHED:
            raise ScoringError("Kết quả đã công bố: không thể mở khoá kỳ đánh giá.")
        if period.status != Period.Status.LOCKED:
            raise ScoringError("Kỳ đánh giá đang mở, không cần mở khoá.")
        SiteResult.objects.filter(period=period).delete()
        period.status = Period.Status.OPEN
        period.locked_at = None
        period.save(update_fields=["status", "locked_at"])
        _audit(period, "scoring.unlock", user)


def publish(period: Period, user=None) -> None:
    from component_sites.core.page_cache import purge_site

    with transaction.atomic():
        period = _locked_period(period.pk)
        if period.status == Period.Status.OPEN:
            raise ScoringError("Phải khoá kỳ đánh giá trước khi công bố kết quả.")
        if period.status == Period.Status.PUBLISHED:
            raise ScoringError("Kết quả kỳ này đã được công bố.")
        period.status = Period.Status.PUBLISHED
        period.published_at = timezone.now()
        period.save(update_fields=["status", "published_at"])
        _audit(period, "scoring.publish", user)
        transaction.on_commit(lambda: purge_site(period.province.schema_name))


def open_periods_for(tenant: Tenant) -> Iterable[Period]:
    """Open periods of the province a site belongs to (for its self-assessment)."""
    province = tenant
    while province.parent_id is not None:
        province = province.parent
    return Period.objects.filter(province=province, status=Period.Status.OPEN).select_related(
        "criteria_set"
    )
