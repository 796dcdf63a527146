"""The judged criteria: council members' scores of a site, and a site's self-assessment.

All or nothing: one wrong entry stores none, and ``ScoringError`` says why.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from tenants.models import Tenant

from . import compute
from .audit import audit
from .council import is_council_member
from .errors import ScoringError
from .models import CouncilScore, Criterion, Period, SelfAssessment, SelfAssessmentScore
from .periods import locked_period
from .results import format_number


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
        period = locked_period(period.pk)
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
        audit(
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
        period = locked_period(period.pk)
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
