"""Console pages that set scoring up: the periods list and opening a period, a province's
criteria versions, and the council's members (provincial admins change them)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from tenants.console_views import is_platform_admin
from tenants.models import Tenant

from . import council, criteria_sets, periods
from .console_access import AdminOnly, ScoringAccess
from .errors import ScoringError
from .forms import CouncilMemberForm, CriteriaFormSet, PeriodForm, initial_rows
from .models import COUNCIL_GROUP, CriteriaSet, Metric, Period


def provinces():
    return Tenant.objects.filter(level=Tenant.Level.PROVINCE).order_by("name")


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
