"""The words both exports of a period's results print: file name, dates, status line and
criterion headings."""

from __future__ import annotations

from django.utils import timezone

from component_sites.core.text import ascii_slug

from .models import Period
from .results import PROVISIONAL_LABEL, CriterionInfo, PeriodResults, format_number


def export_name(period: Period, extension: str) -> str:
    return f"ket-qua-danh-gia-{ascii_slug(period.name)}.{extension}"


def period_dates(period: Period) -> str:
    return f"{period.starts_on:%d/%m/%Y} – {period.ends_on:%d/%m/%Y}"


def status_line(results: PeriodResults) -> str:
    period = results.period
    if results.provisional:
        return f"{PROVISIONAL_LABEL}: kỳ đánh giá đang mở, điểm còn có thể thay đổi."
    if period.status == Period.Status.PUBLISHED and period.published_at:
        return f"Đã công bố ngày {timezone.localtime(period.published_at):%d/%m/%Y}."
    if period.locked_at:
        return f"Đã khoá ngày {timezone.localtime(period.locked_at):%d/%m/%Y}, chưa công bố."
    return "Đã khoá, chưa công bố."


def criterion_heading(criterion: CriterionInfo) -> str:
    return f"{criterion.short}. {criterion.name} (tối đa {format_number(criterion.max_score)})"
