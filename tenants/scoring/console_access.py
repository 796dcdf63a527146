"""Who may open the console's scoring pages, and the period and site a URL names."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import Http404
from django.shortcuts import get_object_or_404

from tenants.console_views import is_platform_admin
from tenants.models import Tenant

from . import compute, council
from .models import Period


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


def period_or_404(pk: int) -> Period:
    return get_object_or_404(Period.objects.select_related("province", "criteria_set"), pk=pk)


def site_of(period: Period, code: str) -> Tenant:
    site = get_object_or_404(Tenant, code=code)
    if not compute.is_member(period.province, site):
        raise Http404
    return site
