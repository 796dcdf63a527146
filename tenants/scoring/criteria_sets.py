"""A province's criteria, in versions: validating and saving a new version, the suggested
first version, and reading one back as specs (the console's form rows).

Saving raises ``ScoringError`` with every reason the criteria cannot be saved, and saves
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from tenants.models import Tenant

from .audit import audit
from .errors import ScoringError
from .models import METRIC_KINDS, CriteriaSet, Criterion, Metric, MetricKind
from .results import format_number

HUNDRED = Decimal(100)


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
    audit(criteria_set, "scoring.criteria", user, version=criteria_set.version, note=note)
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
