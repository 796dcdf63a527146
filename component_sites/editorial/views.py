"""Admin views: editorial statistics and the royalty report, on screen, as CSV and as XLSX."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from wagtail.models import Site

from component_sites.core.spreadsheet import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_text,
    xlsx_bytes,
)
from component_sites.news.models import WorkKind

from .models import RoyaltyRates
from .statistics import MEASURES, PERIODS, PeriodError, compute, period, royalties

TABLES = [
    ("by_author", "Theo tác giả"),
    ("by_unit", "Theo đơn vị"),
    ("by_category", "Theo chuyên mục"),
]


def _period_from(request):
    today = timezone.localdate()
    kind = request.GET.get("period", "month")
    try:
        year = int(request.GET.get("year", today.year))
        number = int(request.GET.get("number", today.month if kind == "month" else 1))
        return period(kind, year, number), None
    except (ValueError, PeriodError) as exc:
        message = str(exc) if isinstance(exc, PeriodError) else "Năm hoặc số kỳ phải là số."
        return period("month", today.year, today.month), message


def _export(name: str, header: list[str], rows: list[list], fmt: str) -> HttpResponse:
    # One writer for every export: names such as "=HYPERLINK(...)" never become formulas.
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes([("Thong ke", [header, *rows])]), content_type=XLSX_CONTENT_TYPE
        )
    else:
        # BOM: Excel opens UTF-8 CSV with Vietnamese letters intact.
        response = HttpResponse(csv_text([header, *rows]), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def statistics_view(request):
    p, error = _period_from(request)
    stats = compute(p)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and not error:
        header = ["Nhóm", "Tên", *[label for _key, label in MEASURES]]
        rows = [
            [title, row.name, *[row.counts[key] for key, _label in MEASURES]]
            for attr, title in TABLES
            for row in getattr(stats, attr)
        ]
        rows.append(["", stats.total.name, *[stats.total.counts[k] for k, _l in MEASURES]])
        return _export(f"thong-ke-tin-bai-{p.kind}-{p.year}-{p.number}", header, rows, fmt)
    peak = max([1, *[r.counts["published"] for r in stats.by_author]])
    tables = [
        (
            title,
            [
                (
                    row,
                    [row.counts[key] for key, _l in MEASURES],
                    100 * row.counts["published"] // peak,
                )
                for row in getattr(stats, attr)
            ],
        )
        for attr, title in TABLES
    ]
    return render(
        request,
        "editorial/statistics.html",
        {
            "stats": stats,
            "tables": tables,
            "measures": MEASURES,
            "totals": [stats.total.counts[key] for key, _l in MEASURES],
            "periods": PERIODS,
            "error": error,
            "query": request.GET.urlencode(),
            "page_title": "Thống kê tin bài",
            "header_icon": "table",
        },
    )


def royalty_view(request):
    p, error = _period_from(request)
    rates = RoyaltyRates.for_site(
        Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    )
    lines = royalties(p, rates)
    kinds = WorkKind.choices
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and not error:
        header = ["Tác giả", *[str(label) for _v, label in kinds], "Ảnh", "Thành tiền (đồng)"]
        rows = [
            [ln.author, *[ln.works[v] for v, _l in kinds], ln.images, ln.amount] for ln in lines
        ]
        return _export(f"nhuan-but-{p.kind}-{p.year}-{p.number}", header, rows, fmt)
    return render(
        request,
        "editorial/royalties.html",
        {
            "period": p,
            "lines": [(ln, [ln.works[v] for v, _l in kinds]) for ln in lines],
            "kinds": kinds,
            "total": sum(ln.amount for ln in lines),
            "periods": PERIODS,
            "error": error,
            "query": request.GET.urlencode(),
            "page_title": "Nhuận bút",
            "header_icon": "tag",
        },
    )


def publish_bypass_view(request, page_id: int):
    """Publish a page under review at once, where the site's rules allow it; audited.

    Only page types listed in ``EDITORIAL_BYPASS_PAGE_TYPES`` and only a site admin or
    superuser with publish rights; a reason is required and kept in the audit log entry
    (``editorial.publish_bypass``).  A workflow in progress is cancelled.
    """
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.db import transaction
    from django.shortcuts import get_object_or_404, redirect
    from django.urls import reverse
    from wagtail.log_actions import log
    from wagtail.models import Page

    from . import review

    page = get_object_or_404(Page, pk=page_id).specific
    if not (
        review.under_review(page)
        and review.can_bypass(request.user, page)
        and not review.locked_against_bypass(page, request.user)
    ):
        raise PermissionDenied("Trang này không được xuất bản khi chưa qua duyệt.")
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    error = None
    reason = ""
    if request.method == "POST":
        reason = " ".join((request.POST.get("reason") or "").split())[:1000]
        if len(reason) < 10:
            error = "Hãy ghi rõ lý do xuất bản không qua duyệt (ít nhất 10 ký tự)."
        else:
            with transaction.atomic():
                state = page.current_workflow_state
                if state is not None:
                    state.cancel(user=request.user)
                revision = page.get_latest_revision() or page.save_revision(user=request.user)
                log(
                    page,
                    review.BYPASS_ACTION,
                    user=request.user,
                    data={"reason": reason, "revision": revision.pk},
                    revision=revision,
                )
                revision.publish(user=request.user)
            messages.success(
                request, f"Đã xuất bản “{page.title}” không qua duyệt; lý do đã ghi vào nhật ký."
            )
            return redirect(edit_url)
    return render(
        request,
        "editorial/publish_bypass.html",
        {
            "page": page,
            "edit_url": edit_url,
            "error": error,
            "reason": reason,
            "page_title": "Xuất bản khẩn",
            "header_icon": "warning",
        },
    )
