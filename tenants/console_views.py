"""Views of the platform console (public schema)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import Prefetch
from django.views.generic import TemplateView

from .models import Domain, Tenant


class PlatformStaffRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Only platform staff (provincial admins, council members) use the console."""

    def test_func(self) -> bool:
        return bool(self.request.user.is_active and self.request.user.is_staff)


class SiteTreeView(PlatformStaffRequired, TemplateView):
    """The province's sites as a tree, with level, status and domains."""

    template_name = "tenants/console/site_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tenants = list(
            Tenant.objects.prefetch_related(
                Prefetch("domains", queryset=Domain.objects.order_by("-is_primary", "domain"))
            ).order_by("code")
        )
        children: dict[int | None, list[Tenant]] = {}
        for tenant in tenants:
            children.setdefault(tenant.parent_id, []).append(tenant)

        rows: list[tuple[int, Tenant]] = []

        def walk(parent_id: int | None, depth: int) -> None:
            for tenant in children.get(parent_id, []):
                rows.append((depth, tenant))
                walk(tenant.pk, depth + 1)

        walk(None, 0)
        context["rows"] = rows
        context["counts"] = {
            level: sum(1 for t in tenants if t.level == level) for level in Tenant.Level.values
        }
        return context
