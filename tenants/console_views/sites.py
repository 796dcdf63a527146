"""The console's sites: the tree, creating a site, one site's page and its lifecycle actions."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.models import ModelLogEntry

from tenants import lifecycle, site_setup
from tenants.console_forms import CreateSiteForm, DomainForm, NoticeForm, RenameForm
from tenants.middleware import netloc_for
from tenants.models import Domain, SiteSetup, Tenant
from tenants.onboarding import admin_setup_link
from tenants.provisioning import ProvisioningError, provision_site
from tenants.specs import SiteSpec
from themes.registry import theme_choices

from .access import PlatformStaffRequired


class SiteTreeView(PlatformStaffRequired, TemplateView):
    """The province's sites as a tree, with level, status and domains."""

    template_name = "tenants/console/site_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tenants = list(
            Tenant.objects.select_related("stats")
            .prefetch_related(
                Prefetch("domains", queryset=Domain.objects.order_by("-is_primary", "domain"))
            )
            .order_by("code")
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
        context["counts"] = {
            level: sum(1 for t in tenants if t.level == level) for level in Tenant.Level.values
        }
        filters = tree_filters(self.request.GET, tenants)
        context["filters"] = filters
        context["all_count"] = len(rows)
        context["rows"] = [(d, t) for d, t in rows if filters.matches(t)]
        context["parents"] = [t for t in tenants if t.level != Tenant.Level.COMMUNE]
        context["levels"] = Tenant.Level.choices
        context["statuses"] = Tenant.Status.choices
        return context


@dataclass
class TreeFilters:
    """The site tree's filters (GET): name/code/domain words, level, status, parent."""

    q: str = ""
    level: str = ""
    status: str = ""
    parent: str = ""
    # The parent and every site below it (any depth).
    under: set[int] | None = None

    @property
    def active(self) -> bool:
        return bool(self.q or self.level or self.status or self.parent)

    def matches(self, tenant: Tenant) -> bool:
        from component_sites.core.text import fold

        if self.level and tenant.level != self.level:
            return False
        if self.status and tenant.status != self.status:
            return False
        if self.under is not None and tenant.pk not in self.under:
            return False
        if self.q:
            haystack = fold(
                " ".join([tenant.name, tenant.code, *(d.domain for d in tenant.domains.all())])
            )
            return all(word in haystack for word in fold(self.q).split())
        return True


def tree_filters(params, tenants: list[Tenant]) -> TreeFilters:
    """Read the filters; unknown values are ignored (the whole tree is shown)."""
    filters = TreeFilters(
        q=params.get("q", "").strip()[:100],
        level=params.get("cap", "") if params.get("cap") in Tenant.Level.values else "",
        status=params.get("trang-thai", "")
        if params.get("trang-thai") in Tenant.Status.values
        else "",
    )
    parent = next((t for t in tenants if t.code == params.get("tren", "")), None)
    if parent is not None:
        filters.parent = parent.code
        below: dict[int | None, list[int]] = {}
        for tenant in tenants:
            below.setdefault(tenant.parent_id, []).append(tenant.pk)
        found, stack = set(), [parent.pk]
        while stack:
            for child in below.get(stack.pop(), []):
                found.add(child)
                stack.append(child)
        filters.under = found
    return filters


def tenant_log_entries():
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Tenant, for_concrete_model=False)
    ).select_related("user")


class CreateSiteView(PlatformStaffRequired, FormView):
    """Create a site for a unit picked from the official list."""

    template_name = "tenants/console/create_site.html"
    form_class = CreateSiteForm

    def form_valid(self, form):
        unit = form.cleaned_data["unit"]
        spec = SiteSpec(
            name=unit.name,
            level=unit.level,
            code=unit.code,
            parent_code=unit.parent_code,
            domain=form.cleaned_data["domain"] or form.proposed_domain(unit),
            admin_username="quantri",
            admin_email=form.cleaned_data["admin_email"],
            admin_password="",
            unit_model=form.model,
        )
        try:
            result = provision_site(spec, user=self.request.user)
        except ProvisioningError as exc:
            for field, errors in exc.messages.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Đã tạo trang {result.tenant.name}.")
        if settings.CONSOLE_SHOWS_SETUP_LINKS and result.setup_link:
            # Same scheme and port as the console was reached on (development servers).
            base = (
                f"{self.request.scheme}://{netloc_for(self.request, result.tenant.primary_domain)}"
            )
            self.request.session["setup_link"] = {
                "code": result.tenant.code,
                "link": admin_setup_link(
                    result.tenant, result.admin_username, base_url=base, user=result.admin_account
                ),
            }
        return redirect("console:site", code=result.tenant.code)


class SiteDetailView(PlatformStaffRequired, TemplateView):
    """One site: identity, domains, lifecycle actions and its audit trail."""

    template_name = "tenants/console/site_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tenant = get_object_or_404(
            Tenant.objects.select_related("parent", "merged_into"), code=kwargs["code"]
        )
        setup = self.request.session.pop("setup_link", None)
        context.update(
            site=tenant,
            domains=tenant.domains.select_related("merged_from").order_by("-is_primary", "domain"),
            children=tenant.children.order_by("code"),
            entries=tenant_log_entries()
            .filter(object_id=str(tenant.pk))
            .order_by("-timestamp")[:20],
            setup_link=setup["link"] if setup and setup["code"] == tenant.code else None,
            rename_form=RenameForm(initial={"name": tenant.name}),
            notice_form=NoticeForm(),
            domain_form=DomainForm(),
            themes=theme_choices(),
            read_only=lifecycle.is_read_only(tenant),
            setup=SiteSetup.objects.filter(tenant=tenant).first(),
            setup_steps=len(site_setup.STEPS),
        )
        return context


# What an archived or merged (read-only) site still accepts from the console.
READ_ONLY_ACTIONS = {"unarchive"}


class SiteActionView(PlatformStaffRequired, View):
    """POST-only lifecycle actions; each refusal is shown as a message and changes nothing."""

    def post(self, request, code: str, action: str):
        tenant = get_object_or_404(Tenant, code=code)
        data = request.POST
        user = request.user
        operations = {
            "rename": lambda: lifecycle.rename(tenant, data.get("name", ""), user=user),
            "suspend": lambda: lifecycle.suspend(tenant, data.get("notice", ""), user=user),
            "resume": lambda: lifecycle.resume(tenant, user=user),
            "archive": lambda: lifecycle.archive(tenant, data.get("notice", ""), user=user),
            "unarchive": lambda: lifecycle.unarchive(tenant, user=user),
            "add-alias": lambda: lifecycle.add_alias(tenant, data.get("domain", ""), user=user),
            "remove-alias": lambda: lifecycle.remove_alias(
                tenant, data.get("domain", ""), user=user
            ),
            "promote-alias": lambda: lifecycle.promote_alias(
                tenant, data.get("domain", ""), user=user
            ),
            "theme": lambda: lifecycle.set_theme(tenant, data.get("theme", ""), user=user),
            "retry-setup": lambda: lifecycle.retry_setup(tenant, user=user),
        }
        if action not in operations:
            messages.error(request, "Thao tác không hợp lệ.")
        elif lifecycle.is_read_only(tenant) and action not in READ_ONLY_ACTIONS:
            messages.error(
                request,
                f"Trang {tenant.name} đang lưu trữ (chỉ đọc): không thực hiện được thao tác này. "
                "Không có gì thay đổi.",
            )
        else:
            try:
                operations[action]()
            except lifecycle.LifecycleError as exc:
                messages.error(request, f"{exc} Không có gì thay đổi.")
            else:
                messages.success(request, "Đã cập nhật.")
        return redirect("console:site", code=tenant.code)
