"""A scoring period's life: opened for a province, locked (results frozen), unlocked,
published; sites left out of it or put back.  Each change is validated and audited.

Every operation raises ``ScoringError`` with a message for the person (and changes nothing)
when the input is wrong or the period's state forbids it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from component_sites.core.page_cache import purge_site
from tenants.models import Tenant

from . import compute
from .audit import audit
from .criteria_sets import latest_criteria_set
from .errors import ScoringError
from .models import Period, PeriodExclusion, SiteResult, period_span


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
        audit(period, "scoring.period", user, criteria_version=criteria_set.version)
    return period


def locked_period(period_id: int) -> Period:
    return (
        Period.objects.select_for_update()
        .select_related("criteria_set", "province")
        .get(pk=period_id)
    )


def lock(period: Period, user=None) -> list[SiteResult]:
    """Freeze the results; refused while a site lacks figures or a judged score."""
    with transaction.atomic():
        period = locked_period(period.pk)
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
        audit(period, "scoring.lock", user, sites=len(results))
    return results


def unlock(period: Period, user=None) -> None:
    with transaction.atomic():
        period = locked_period(period.pk)
        if period.status == Period.Status.PUBLISHED:
            raise ScoringError("Kết quả đã công bố: không thể mở khoá kỳ đánh giá.")
        if period.status != Period.Status.LOCKED:
            raise ScoringError("Kỳ đánh giá đang mở, không cần mở khoá.")
        SiteResult.objects.filter(period=period).delete()
        period.status = Period.Status.OPEN
        period.locked_at = None
        period.save(update_fields=["status", "locked_at"])
        audit(period, "scoring.unlock", user)


def publish(period: Period, user=None) -> None:
    with transaction.atomic():
        period = locked_period(period.pk)
        if period.status == Period.Status.OPEN:
            raise ScoringError("Phải khoá kỳ đánh giá trước khi công bố kết quả.")
        if period.status == Period.Status.PUBLISHED:
            raise ScoringError("Kết quả kỳ này đã được công bố.")
        period.status = Period.Status.PUBLISHED
        period.published_at = timezone.now()
        period.save(update_fields=["status", "published_at"])
        audit(period, "scoring.publish", user)
        transaction.on_commit(lambda: purge_site(period.province.schema_name))


def joined_mid_period(period: Period, site: Tenant) -> bool:
    """Created after the period began (a new or merged unit): a candidate for exclusion."""
    return timezone.localdate(site.created_at) > period.starts_on


def exclude_site(period: Period, site: Tenant, reason: str, user=None) -> PeriodExclusion:
    """Leave ``site`` out of ``period`` (not scored, ranked or waited for), audited."""
    reason = (reason or "").strip()
    with transaction.atomic():
        period = locked_period(period.pk)
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
        audit(period, "scoring.exclude", user, site=site.name, reason=reason)
    return exclusion


def include_site(period: Period, site: Tenant, user=None) -> None:
    """Undo an exclusion while the period is open, audited."""
    with transaction.atomic():
        period = locked_period(period.pk)
        if period.status != Period.Status.OPEN:
            raise ScoringError(f"Kỳ {period.name} đã khoá: không đưa trang trở lại được.")
        deleted, _ = period.exclusions.filter(tenant=site).delete()
        if not deleted:
            raise ScoringError(f"{site.name} không bị loại khỏi kỳ {period.name}.")
        audit(period, "scoring.include", user, site=site.name)


def open_periods_for(tenant: Tenant) -> Iterable[Period]:
    """Open periods of the province a site belongs to (for its self-assessment)."""
    province = tenant
    while province.parent_id is not None:
        province = province.parent
    return Period.objects.filter(province=province, status=Period.Status.OPEN).select_related(
        "criteria_set"
    )
