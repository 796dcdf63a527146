"""Console pages of a period: its state and ranking (per level, per criterion), the admins'
actions (compute the figures, lock, unlock, publish), sites left out or put back, and the
results as XLSX or PDF.

Provincial admins (staff) act; council members see the provisional ranking as they score.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView
from wagtail.models import ModelLogEntry

from component_sites.core.enqueue import enqueue
from tenants.models import Tenant

from . import charts, compute, council, export_pdf, export_xlsx, periods
from .console_access import AdminOnly, ScoringAccess, period_or_404
from .errors import ScoringError
from .export_text import export_name
from .metrics import figures_progress, mark_requested
from .models import COUNCIL_GROUP, CouncilScore, Period, SelfAssessment


class PeriodView(ScoringAccess, TemplateView):
    """A period: state, actions, figures progress, and the ranking per level and criterion."""

    template_name = "scoring/console/period.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = period_or_404(self.kwargs["pk"])
        criteria = list(period.criteria_set.criteria.all())
        rows = compute.site_scores(period)
        user = self.request.user
        mine = (
            set(
                CouncilScore.objects.filter(period=period, member=user).values_list(
                    "tenant_id", flat=True
                )
            )
            if council.is_council_member(user)
            else set()
        )
        selected = next((c for c in criteria if c.code == self.request.GET.get("tieu-chi")), None)
        groups = []
        for level, label, group in compute.grouped(rows):
            if selected:
                group = sorted(
                    group,
                    key=lambda r: (r.criterion_ranks.get(selected.code, 0), r.tenant.name),
                )
            if selected:
                bars = [
                    (r.tenant.name, r.scores.get(selected.code), selected.max_score) for r in group
                ]
                title = f"{selected.name} – {label.lower()}"
            else:
                bars = [(r.tenant.name, r.total, 100) for r in group]
                title = f"Tổng điểm – {label.lower()}"
            groups.append(
                {
                    "level": level,
                    "label": label,
                    "rows": group,
                    "chart": charts.bar_chart(bars, title=title),
                }
            )
        judged_count = sum(1 for c in criteria if not c.is_automatic)
        figures_done, _sites = figures_progress(period)
        exclusions = list(
            period.exclusions.select_related("tenant", "excluded_by").order_by("tenant__name")
        )
        excludable = [
            (r.tenant, periods.joined_mid_period(period, r.tenant), bool(r.missing))
            for r in sorted(rows, key=lambda r: (not r.missing, r.tenant.name))
        ]
        context.update(
            period=period,
            criteria=criteria,
            selected=selected,
            groups=groups,
            mine=mine,
            site_count=len(rows),
            figures_done=figures_done,
            figures_running=period.is_open
            and period.metrics_requested_at is not None
            and figures_done < len(rows),
            scored_count=sum(1 for r in rows if not r.missing),
            judged_count=judged_count,
            self_assessed=SelfAssessment.objects.filter(period=period).count(),
            exclusions=exclusions,
            excludable=excludable,
            members=get_user_model()
            .objects.filter(groups__name=COUNCIL_GROUP, is_active=True)
            .order_by("username"),
            log_entries=ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Period),
                object_id=str(period.pk),
            )
            .select_related("user")
            .order_by("-timestamp")[:30],
        )
        return context


class PeriodActionView(AdminOnly, View):
    ACTIONS = ("tinh-so-lieu", "khoa", "mo-khoa", "cong-bo")

    def post(self, request, pk: int, action: str):
        period = period_or_404(pk)
        if action not in self.ACTIONS:
            raise Http404
        try:
            if action == "tinh-so-lieu":
                if not period.is_open:
                    raise ScoringError("Kỳ đã khoá: số liệu không được tính lại.")
                mark_requested(period)
                # With the broker down the request is logged; the nightly run computes them.
                transaction.on_commit(
                    lambda: enqueue("tasks.scoring.compute_period_figures", period.pk)
                )
                messages.success(
                    request,
                    "Đã gửi yêu cầu tính số liệu tự động của mọi trang; trang này tự cập nhật "
                    "khi có kết quả.",
                )
            elif action == "khoa":
                results = periods.lock(period, user=request.user)
                messages.success(
                    request, f"Đã khoá kỳ {period.name}: chốt kết quả {len(results)} trang."
                )
            elif action == "mo-khoa":
                periods.unlock(period, user=request.user)
                messages.success(request, f"Đã mở khoá kỳ {period.name}.")
            else:
                periods.publish(period, user=request.user)
                messages.success(
                    request, f"Đã công bố kết quả kỳ {period.name} trên cổng thông tin của tỉnh."
                )
        except ScoringError as error:
            messages.error(request, str(error))
        return redirect("console:scoring:period", period.pk)


class ExcludeSiteView(AdminOnly, View):
    """POST: leave a site out of an open period, with a reason (audited)."""

    def post(self, request, pk: int):
        period = period_or_404(pk)
        site = Tenant.objects.filter(code=request.POST.get("site", "")).first()
        try:
            if site is None:
                raise ScoringError("Chọn trang cần loại khỏi kỳ đánh giá.")
            periods.exclude_site(period, site, request.POST.get("reason", ""), user=request.user)
        except ScoringError as error:
            messages.error(request, f"{error} Không có gì thay đổi.")
        else:
            messages.success(request, f"Đã loại {site.name} khỏi kỳ {period.name}.")
        return redirect("console:scoring:period", period.pk)


class IncludeSiteView(AdminOnly, View):
    """POST: put an excluded site back into an open period (audited)."""

    def post(self, request, pk: int, code: str):
        period = period_or_404(pk)
        site = get_object_or_404(Tenant, code=code)
        try:
            periods.include_site(period, site, user=request.user)
        except ScoringError as error:
            messages.error(request, f"{error} Không có gì thay đổi.")
        else:
            messages.success(request, f"Đã đưa {site.name} trở lại kỳ {period.name}.")
        return redirect("console:scoring:period", period.pk)


class ExportView(ScoringAccess, View):
    CONTENT_TYPES = {
        "xlsx": export_xlsx.XLSX_CONTENT_TYPE,
        "pdf": "application/pdf",
    }

    def get(self, request, pk: int, fmt: str):
        period = period_or_404(pk)
        if fmt not in self.CONTENT_TYPES:
            raise Http404
        try:
            data = (
                export_xlsx.results_xlsx(period)
                if fmt == "xlsx"
                else export_pdf.results_pdf(period)
            )
        except ScoringError as error:  # e.g. no font with Vietnamese letters for the PDF
            messages.error(request, str(error))
            return redirect("console:scoring:period", period.pk)
        response = HttpResponse(data, content_type=self.CONTENT_TYPES[fmt])
        filename = export_name(period, fmt)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
