"""Console pages of scoring: criteria, periods, council scoring, lock and publish, drill-down.

Provincial admins (staff) manage criteria, periods and council members, request the
figures, lock and publish; council members score the judged criteria of each site.  Both
see the provisional ranking, each site's figures and what each figure counted.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView
from wagtail.models import ModelLogEntry

from tenants.console_views import is_platform_admin
from tenants.models import Tenant

from . import charts, compute, council, criteria_sets, judging, periods, results
from .errors import ScoringError
from .forms import CouncilMemberForm, CriteriaFormSet, PeriodForm, initial_rows
from .metrics import figures_progress, mark_requested
from .models import (
    COUNCIL_GROUP,
    METRIC_KINDS,
    CouncilScore,
    CriteriaSet,
    Criterion,
    Metric,
    MetricKind,
    MetricValue,
    Period,
    SelfAssessment,
)
from .results import format_number


class ScoringAccess(LoginRequiredMixin, UserPassesTestMixin):
    """Provincial admins and council members."""

    def test_func(self) -> bool:
        user = self.request.user
        return is_platform_admin(user) or council.is_council_member(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_admin"] = is_platform_admin(self.request.user)
        context["is_council"] = council.is_council_member(self.request.user)
        return context


class AdminOnly(ScoringAccess):
    def test_func(self) -> bool:
        return is_platform_admin(self.request.user)


def provinces():
    return Tenant.objects.filter(level=Tenant.Level.PROVINCE).order_by("name")


def format_value(figure: MetricValue | None) -> str:
    if figure is None:
        return "chưa tính"
    if figure.value is None:
        return "chưa đo được"
    kind = METRIC_KINDS.get(figure.metric)
    number = format_number(figure.value)
    if kind == MetricKind.SHARE:
        if figure.denominator:
            return f"{number}% ({figure.numerator}/{figure.denominator})"
        return f"{number}%"
    if kind == MetricKind.SPEED:
        return f"{number} ms"
    return number


class HomeView(ScoringAccess, TemplateView):
    template_name = "scoring/console/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["periods"] = Period.objects.select_related("province", "criteria_set")
        context["provinces"] = [
            (province, criteria_sets.latest_criteria_set(province)) for province in provinces()
        ]
        context["form"] = kwargs.get("form") or PeriodForm()
        return context


class CreatePeriodView(AdminOnly, View):
    def post(self, request):
        form = PeriodForm(request.POST)
        if not form.is_valid():
            view = HomeView(request=request, kwargs={})
            return view.render_to_response(view.get_context_data(form=form), status=400)
        data = form.cleaned_data
        try:
            period = periods.create_period(
                data["province"], data["kind"], data["year"], data["number"] or 1, user=request.user
            )
        except ScoringError as error:
            form.add_error(None, str(error))
            view = HomeView(request=request, kwargs={})
            return view.render_to_response(view.get_context_data(form=form), status=400)
        messages.success(request, f"Đã mở kỳ đánh giá {period.name}.")
        return redirect("console:scoring:period", period.pk)


class CriteriaView(ScoringAccess, TemplateView):
    """The versions of a province's criteria; admins save a changed copy as a new version."""

    template_name = "scoring/console/criteria.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        province = get_object_or_404(Tenant, code=self.kwargs["code"], level=Tenant.Level.PROVINCE)
        versions = list(
            CriteriaSet.objects.filter(province=province)
            .select_related("created_by")
            .prefetch_related("criteria")
        )
        shown = versions[0] if versions else None
        wanted = self.request.GET.get("phien-ban")
        if wanted:
            shown = next((v for v in versions if str(v.version) == wanted), shown)
        context.update(
            province=province,
            versions=versions,
            shown=shown,
            formset=kwargs.get("formset")
            or CriteriaFormSet(
                initial=initial_rows(criteria_sets.specs_of(versions[0] if versions else None))
            ),
            note=kwargs.get("note", ""),
            errors=kwargs.get("errors", []),
            metric_choices=Metric.choices,
        )
        return context

    def post(self, request, code: str):
        if not is_platform_admin(request.user):
            return self.handle_no_permission()
        province = get_object_or_404(Tenant, code=code, level=Tenant.Level.PROVINCE)
        formset = CriteriaFormSet(request.POST)
        note = (request.POST.get("note") or "").strip()
        errors: list[str] = []
        if formset.is_valid():
            # The blank extra row comes back with no data; deleted rows are ticked.
            specs = [
                form.spec()
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            try:
                saved = criteria_sets.save_criteria_set(
                    province, specs, note=note, user=request.user
                )
            except ScoringError as error:
                errors = [str(error)]
            else:
                messages.success(request, f"Đã lưu bộ tiêu chí phiên bản {saved.version}.")
                return redirect("console:scoring:criteria", province.code)
        else:
            errors = ["Kiểm tra lại các ô được đánh dấu bên dưới."]
        context = self.get_context_data(formset=formset, note=note, errors=errors)
        return self.render_to_response(context, status=400)


def period_or_404(pk: int) -> Period:
    return get_object_or_404(Period.objects.select_related("province", "criteria_set"), pk=pk)


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
                from component_sites.core.enqueue import enqueue

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


def site_of(period: Period, code: str) -> Tenant:
    site = get_object_or_404(Tenant, code=code)
    if not compute.is_member(period.province, site):
        raise Http404
    return site


class SiteScoreView(ScoringAccess, TemplateView):
    """One site in a period: its figures, self-assessment, the council's scores, my scores."""

    template_name = "scoring/console/site.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = period_or_404(self.kwargs["pk"])
        site = site_of(period, self.kwargs["code"])
        criteria = list(period.criteria_set.criteria.all())
        # Ranks need the whole level, so every member site is scored.
        row = next(r for r in compute.site_scores(period) if r.tenant.pk == site.pk)
        scores = list(
            CouncilScore.objects.filter(period=period, tenant=site)
            .select_related("member", "criterion")
            .order_by("criterion__position", "member__username")
        )
        assessment = (
            SelfAssessment.objects.filter(period=period, tenant=site)
            .prefetch_related("scores")
            .first()
        )
        self_scores = {s.criterion_id: s for s in assessment.scores.all()} if assessment else {}
        user = self.request.user
        submitted = kwargs.get("submitted") or {}
        my_scores = {s.criterion_id: s for s in scores if s.member_id == user.pk}
        automatic, judged = [], []
        for criterion in criteria:
            if criterion.is_automatic:
                figure = row.figures.get(criterion.metric)
                automatic.append(
                    {
                        "criterion": criterion,
                        "figure": figure,
                        "value": format_value(figure),
                        "score": row.scores.get(criterion.code),
                    }
                )
            else:
                mine = my_scores.get(criterion.pk)
                judged.append(
                    {
                        "criterion": criterion,
                        "mean": row.scores.get(criterion.code),
                        "judges": row.judges.get(criterion.code, 0),
                        "scores": [s for s in scores if s.criterion_id == criterion.pk],
                        "self": self_scores.get(criterion.pk),
                        "form_score": submitted.get(criterion.pk, (None, None))[0]
                        if submitted
                        else (format_number(mine.score) if mine else ""),
                        "form_comment": submitted.get(criterion.pk, (None, None))[1]
                        if submitted
                        else (mine.comment if mine else ""),
                    }
                )
        earlier = list(
            Period.objects.filter(
                province=period.province,
                kind=period.kind,
                ends_on__lte=period.ends_on,
                status__in=[Period.Status.LOCKED, Period.Status.PUBLISHED],
            ).order_by("-ends_on")[:8]
        )[::-1]
        trend_chart = None
        if earlier:
            data = results.trend(earlier, [site.pk])
            totals = data.series[0][2] if data.series else [None] * len(earlier)
            names = [p.name for p in earlier]
            if period.is_open:  # the open period's provisional total as the last point
                names.append(f"{period.name} (tạm tính)")
                totals = [*totals, row.total]
            trend_chart = charts.trend_chart(
                names, [(site.name, totals)], title=f"Tổng điểm của {site.name} qua các kỳ"
            )
        context.update(
            trend_chart=trend_chart,
            period=period,
            site=site,
            row=row,
            automatic=automatic,
            judged=judged,
            assessment=assessment,
            can_score=period.is_open and council.is_council_member(user),
            error=kwargs.get("error"),
        )
        return context

    def post(self, request, pk: int, code: str):
        period = period_or_404(pk)
        site = site_of(period, code)
        entries = {}
        for criterion in period.criteria_set.criteria.filter(kind=Criterion.Kind.JUDGED):
            entries[criterion.pk] = (
                request.POST.get(f"score-{criterion.pk}", ""),
                request.POST.get(f"comment-{criterion.pk}", ""),
            )
        try:
            judging.save_council_scores(period, site, request.user, entries)
        except ScoringError as error:
            context = self.get_context_data(error=str(error), submitted=entries)
            return self.render_to_response(context, status=400)
        messages.success(request, f"Đã lưu điểm của bạn cho {site.name}.")
        return redirect("console:scoring:period", period.pk)


class FigureView(ScoringAccess, TemplateView):
    """What one automatic figure counted (the drill-down list)."""

    template_name = "scoring/console/figure.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = period_or_404(self.kwargs["pk"])
        site = site_of(period, self.kwargs["code"])
        if self.kwargs["metric"] not in Metric.values:
            raise Http404
        figure = MetricValue.objects.filter(
            period=period, tenant=site, metric=self.kwargs["metric"]
        ).first()
        items = figure.items if figure else []
        context.update(
            period=period,
            site=site,
            metric_label=Metric(self.kwargs["metric"]).label,
            figure=figure,
            value=format_value(figure),
            items=items,
            counted=sum(1 for item in items if item.get("counted")),
        )
        return context


class ExportView(ScoringAccess, View):
    CONTENT_TYPES = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }

    def get(self, request, pk: int, fmt: str):
        from . import export_pdf, export_xlsx
        from .export_text import export_name

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


class CouncilView(AdminOnly, TemplateView):
    """Council members: list, add an account, remove from the council."""

    template_name = "scoring/console/council.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["members"] = (
            get_user_model()
            .objects.filter(groups__name=COUNCIL_GROUP)
            .order_by("-is_active", "username")
        )
        context["form"] = kwargs.get("form") or CouncilMemberForm()
        return context

    def post(self, request):
        group, _created = Group.objects.get_or_create(name=COUNCIL_GROUP)
        remove = request.POST.get("remove")
        if remove:
            member = get_object_or_404(get_user_model(), pk=remove, groups=group)
            member.groups.remove(group)
            messages.success(
                request, f"Đã đưa {member.get_full_name() or member.username} ra khỏi hội đồng."
            )
            return redirect("console:scoring:council")
        form = CouncilMemberForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        council.create_council_member(
            data["username"], data["full_name"], data["password"], email=data["email"]
        )
        messages.success(request, f"Đã thêm thành viên hội đồng {data['full_name']}.")
        return redirect("console:scoring:council")
