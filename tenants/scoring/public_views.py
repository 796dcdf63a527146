"""The public results page on the province portal (/ket-qua-danh-gia/) and its downloads.

Only the province's own portal answers these URLs, and only for its published periods;
every other site and every other period is a 404.  The request reads public tables only
(periods, frozen results, domains).  Anonymous responses are cached by the page cache,
which ``periods.publish`` purges on the province portal; the exports of a published
period (which never changes again) are kept in the cache as well.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse

from tenants.models import Tenant

from . import export_pdf, export_xlsx
from .charts import bar_chart, trend_chart
from .export_text import export_name
from .models import Period
from .results import (
    PeriodResults,
    ResultRow,
    period_results,
    published_periods,
    trend,
)

logger = logging.getLogger(__name__)

CRITERION_PARAM = "tieu-chi"
SITE_PARAM = "trang"
TREND_PERIODS = 8  # the latest periods of the same kind shown in a trend
TREND_SITES = 5  # sites per level followed in the default trend
EXPORT_SECONDS = 24 * 3600
EXPORT_FORMATS = {
    "xlsx": (export_xlsx.results_xlsx, export_xlsx.XLSX_CONTENT_TYPE),
    "pdf": (export_pdf.results_pdf, "application/pdf"),
}


def _province(request) -> Tenant:
    tenant = getattr(request, "tenant", None)
    if getattr(tenant, "level", None) != Tenant.Level.PROVINCE:
        raise Http404("Kết quả đánh giá chỉ công bố trên cổng thông tin của tỉnh.")
    return tenant


def _published(request, period_id: int) -> Period:
    province = _province(request)
    period = (
        published_periods(province)
        .select_related("criteria_set", "province")
        .filter(pk=period_id)
        .first()
    )
    if period is None:
        raise Http404("Kỳ đánh giá này không có hoặc chưa công bố kết quả.")
    return period


def _site_url(request, domain: str | None) -> str:
    if not domain:
        return ""
    port = request.get_port()
    suffix = "" if str(port) in ("80", "443", "") else f":{port}"
    return f"{request.scheme}://{domain}{suffix}/"


def _trend_periods(period: Period) -> list[Period]:
    """Published periods of the same kind up to ``period``, oldest first (at most 8)."""
    earlier = list(
        published_periods(period.province).filter(kind=period.kind, ends_on__lte=period.ends_on)[
            :TREND_PERIODS
        ]
    )
    return list(reversed(earlier))


def _trend_charts(
    periods: list[Period], results: PeriodResults, site: ResultRow | None
) -> list[dict]:
    names = [p.name for p in periods]
    charts = []
    if site is not None:
        data = trend(periods, [site.tenant_id])
        ranks = data.ranks.get(site.tenant_id, [])
        charts.append(
            {
                "heading": site.name,
                "chart": trend_chart(
                    names,
                    [(name, values) for _pk, name, values in data.series],
                    title=f"Tổng điểm của {site.name} qua các kỳ",
                ),
                "ranks": [
                    (p, f"{r[0]}/{r[1]}" if r else "–") for p, r in zip(periods, ranks, strict=True)
                ],
            }
        )
        return charts
    for group in results.ranked_levels:
        leaders = [row.tenant_id for row in group.rows[:TREND_SITES]]
        data = trend(periods, leaders)
        label = group.label.lower()
        charts.append(
            {
                "heading": (
                    f"{group.label}: {len(leaders)} trang dẫn đầu kỳ này"
                    if len(leaders) > 1
                    else group.label
                ),
                "chart": trend_chart(
                    names,
                    [(name, values) for _pk, name, values in data.series],
                    title=f"Tổng điểm qua các kỳ của các trang dẫn đầu {label}",
                ),
                "ranks": [],
            }
        )
    return charts


def _context(request, period: Period, periods: list[Period]) -> dict:
    results = period_results(period)
    for row in results.rows():
        row.url = _site_url(request, row.domain)
    criteria = results.criteria
    messages = []

    code = request.GET.get(CRITERION_PARAM, "").strip()
    criterion = results.criterion(code) if code else None
    if code and criterion is None:
        messages.append(f"Không có tiêu chí “{code[:40]}” trong kỳ này; đang hiển thị tổng điểm.")

    site_code = request.GET.get(SITE_PARAM, "").strip()
    site = next((r for r in results.rows() if r.site_code == site_code), None)
    if site_code and site is None:
        messages.append(
            f"Không có trang mã “{site_code[:20]}” trong kết quả kỳ này; "
            "đang hiển thị các trang dẫn đầu."
        )

    levels = [
        {
            "level": group.level,
            "label": group.label,
            "count": group.count,
            "rows": [(row, [row.scores.get(c.code) for c in criteria]) for row in group.rows],
        }
        for group in results.ranked_levels
    ]
    trend_periods = _trend_periods(period)
    province_group = results.level(Tenant.Level.PROVINCE)
    own = province_group.rows[0] if province_group and province_group.rows else None

    by_criterion = []
    if criterion is not None:
        for group in results.by_criterion(criterion.code):
            if group.level == Tenant.Level.PROVINCE:
                continue
            rows = [
                (row, row.ranks.get(criterion.code), row.scores.get(criterion.code))
                for row in group.rows
            ]
            by_criterion.append(
                {
                    "label": group.label,
                    "count": group.count,
                    "rows": rows,
                    "chart": bar_chart(
                        [
                            (f"{rank or '–'}. {row.name}", score, criterion.max_score)
                            for row, rank, score in rows
                        ],
                        title=f"{criterion.name} – {group.label} – {period.name}",
                    ),
                }
            )

    return {
        "period": period,
        "periods": periods,
        "results": results,
        "criteria": criteria,
        "criterion": criterion,
        "by_criterion": by_criterion,
        "levels": levels,
        "own": own,
        "own_scores": [(c, own.scores.get(c.code)) for c in criteria] if own else [],
        "site": site,
        "site_groups": [
            (group.label, sorted(group.rows, key=lambda r: r.name)) for group in results.levels
        ],
        "trends": _trend_charts(trend_periods, results, site),
        "trend_count": len(trend_periods),
        "messages_list": messages,
        "criterion_param": CRITERION_PARAM,
        "site_param": SITE_PARAM,
    }


def results_index(request):
    """Published periods, newest first, and the latest one's results."""
    province = _province(request)
    periods = list(published_periods(province).select_related("criteria_set", "province"))
    context = {"period": None, "periods": periods, "is_index": True}
    if periods:
        context.update(_context(request, periods[0], periods))
    return TemplateResponse(request, "scoring/public/results.html", context)


def results_detail(request, period_id: int):
    period = _published(request, period_id)
    periods = list(published_periods(period.province))
    context = _context(request, period, periods)
    context["is_index"] = False
    return TemplateResponse(request, "scoring/public/results.html", context)


def results_download(request, period_id: int, fmt: str):
    """The XLSX or PDF of a published period (kept in the cache: it never changes again)."""
    period = _published(request, period_id)
    build, content_type = EXPORT_FORMATS[fmt]
    stamp = int(period.published_at.timestamp()) if period.published_at else 0
    key = f"scoring:export:{period.pk}:{stamp}:{fmt}"
    try:
        content = cache.get(key)
    except Exception:  # the cache is an optimisation
        logger.warning("export cache unavailable", exc_info=True)
        content = None
    if content is None:
        try:
            content = build(period)
        except export_pdf.FontMissing as error:
            response = TemplateResponse(
                request,
                "scoring/public/export_unavailable.html",
                {"period": period, "message": str(error)},
                status=503,
            )
            response["Retry-After"] = "3600"
            return response
        try:
            cache.set(key, content, EXPORT_SECONDS)
        except Exception:
            logger.warning("export not cached", exc_info=True)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_name(period, fmt)}"'
    return response
