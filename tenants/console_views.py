"""Views of the platform console (public schema): sites, their lifecycle, the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.models import ModelLogEntry

from themes.registry import theme_choices

from . import lifecycle, merging
from .console_forms import CreateSiteForm, DomainForm, MergeForm, NoticeForm, RenameForm
from .middleware import netloc_for
from .models import Domain, SiteMerge, Tenant
from .onboarding import admin_setup_link
from .provisioning import ProvisioningError, provision_site
from .specs import SiteSpec


def is_platform_admin(user) -> bool:
    """A provincial admin: an active staff account of the public schema."""
    return bool(user.is_active and user.is_staff)


class PlatformStaffRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Provincial admins (staff accounts of the public schema) manage the sites.

    Council members log into the same console but only score: they are sent there.
    """

    def test_func(self) -> bool:
        return is_platform_admin(self.request.user)

    def handle_no_permission(self):
        from .scoring.council import is_council_member

        if is_council_member(self.request.user) and self.request.method == "GET":
            return redirect("console:scoring:home")
        return super().handle_no_permission()


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
                "link": admin_setup_link(result.tenant, result.admin_username, base_url=base),
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
        )
        return context


class SupportLoginView(PlatformStaffRequired, View):
    """POST: open the site's admin through a signed, single-use, audited support link."""

    def post(self, request, code: str):
        from .support_login import SupportLinkError, support_link

        tenant = get_object_or_404(Tenant, code=code)
        if lifecycle.is_read_only(tenant):
            return render(
                request,
                "tenants/console/support_refused.html",
                {"message": f"Trang {tenant.name} đang lưu trữ (chỉ đọc): không mở hỗ trợ."},
                status=403,
            )
        try:
            return redirect(support_link(tenant, request.user, verified=_verified(request)))
        except SupportLinkError as exc:
            return render(
                request, "tenants/console/support_refused.html", {"message": str(exc)}, status=403
            )


def _verified(request) -> bool:
    """The console session passed its second step (django-otp's OTPMiddleware says so)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


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


class AuditLogView(PlatformStaffRequired, TemplateView):
    """Every console action: who, when, what, before and after."""

    template_name = "tenants/console/audit_log.html"

    def get_context_data(self, **kwargs):
        from component_sites.core.text import fold

        from .wagtail_hooks import CONSOLE_ACTIONS

        context = super().get_context_data(**kwargs)
        entries = tenant_log_entries().order_by("-timestamp")
        params = self.request.GET
        action = params.get("thao-tac", "")
        actions = [(key, str(label)) for key, (label, _message) in CONSOLE_ACTIONS.items()]
        actions = [a for a in actions if a[0].startswith("tenants.")] + [
            ("tenants.reset_2fa", "Đặt lại xác thực hai bước")
        ]
        if action in dict(actions):
            entries = entries.filter(action=action)
        else:
            action = ""
        q = params.get("q", "").strip()[:100]
        if q:
            # Diacritics ignored: the site's current or logged name, or its code.
            words = fold(q).split()
            pks = [
                str(pk)
                for pk, name, code in Tenant.objects.values_list("pk", "name", "code")
                if all(w in fold(f"{name} {code}") for w in words)
            ]
            entries = entries.filter(Q(object_id__in=pks) | Q(label__icontains=q))
        paginator = Paginator(entries, 50)
        context["page_obj"] = paginator.get_page(params.get("trang"))
        query = params.copy()
        query.pop("trang", None)
        context.update(q=q, action=action, actions=actions, filter_query=query.urlencode())
        return context


class MergeView(PlatformStaffRequired, FormView):
    """Ask for a merge; the worker carries it out and the status page follows it."""

    template_name = "tenants/console/merge.html"
    form_class = MergeForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["merges"] = (
            SiteMerge.objects.select_related("survivor", "requested_by")
            .prefetch_related("absorbed")
            .order_by("-created_at")[:20]
        )
        return context

    def form_valid(self, form):
        try:
            merge = merging.request_merge(
                form.cleaned_data["survivor"], form.cleaned_data["absorbed"], user=self.request.user
            )
        except lifecycle.LifecycleError as exc:
            form.add_error(None, f"{exc} Không có gì thay đổi.")
            return self.form_invalid(form)
        messages.success(self.request, "Đã ghi nhận yêu cầu sáp nhập; hệ thống đang thực hiện.")
        return redirect("console:merge_status", pk=merge.pk)


class MergeStatusView(PlatformStaffRequired, TemplateView):
    """Progress and result of one merge (refreshes itself until it is finished)."""

    template_name = "tenants/console/merge_status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        merge = get_object_or_404(
            SiteMerge.objects.select_related("survivor", "requested_by"), pk=kwargs["pk"]
        )
        absorbed = list(merge.absorbed.order_by("code"))
        context.update(
            merge=merge,
            absorbed=absorbed,
            progress=merging.merge_progress(merge),
            outcomes=[(site, merge.result.get(site.code)) for site in absorbed],
        )
        return context


class MergeJobActionView(PlatformStaffRequired, TemplateView):
    """Retry or cancel a merge: GET asks for confirmation, POST does it (audited)."""

    template_name = "tenants/console/job_confirm.html"
    ACTIONS = {
        "chay-lai": (
            "Chạy lại yêu cầu sáp nhập",
            "Hệ thống sẽ kiểm tra lại rồi thực hiện lại toàn bộ việc sáp nhập.",
        ),
        "huy": (
            "Huỷ yêu cầu sáp nhập",
            "Phần đang làm (nếu có) được hoàn tác; không có gì thay đổi trên các trang.",
        ),
    }

    def dispatch(self, request, *args, **kwargs):
        self.merge = get_object_or_404(
            SiteMerge.objects.select_related("survivor"), pk=kwargs["pk"]
        )
        if kwargs["action"] not in self.ACTIONS:
            messages.error(request, "Thao tác không hợp lệ.")
            return redirect("console:merge_status", pk=self.merge.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        title, explanation = self.ACTIONS[kwargs["action"]]
        return super().get_context_data(
            title=title,
            explanation=explanation,
            subject=f"Sáp nhập vào {self.merge.survivor.name}",
            back_url=reverse("console:merge_status", args=[self.merge.pk]),
            **kwargs,
        )

    def post(self, request, pk: int, action: str):
        try:
            if action == "chay-lai":
                merging.retry_merge(self.merge, user=request.user)
                messages.success(request, "Đã gửi lại yêu cầu sáp nhập; hệ thống đang thực hiện.")
            else:
                messages.success(request, merging.cancel_merge(self.merge, user=request.user))
        except lifecycle.LifecycleError as exc:
            messages.error(request, f"{exc} Không có gì thay đổi.")
        return redirect("console:merge_status", pk=self.merge.pk)


class SchemaStatusView(PlatformStaffRequired, TemplateView):
    """Migration status of every site's schema; starts (or resumes) bringing them up to date."""

    template_name = "tenants/console/schema_status.html"

    def get_context_data(self, **kwargs):
        from .models import SchemaMigrationRun
        from .schema_status import active_run, schema_statuses

        context = super().get_context_data(**kwargs)
        statuses = schema_statuses(Tenant.objects.order_by("code"))
        context["behind"] = [s for s in statuses if s.is_behind]
        context["total"] = len(statuses)
        context["up_to_date"] = len(statuses) - len(context["behind"])
        context["active_run"] = active_run()
        context["last_run"] = SchemaMigrationRun.objects.order_by("-created_at").first()
        return context

    def post(self, request, *args, **kwargs):
        from component_sites.core.enqueue import BROKER_DOWN

        from .models import SchemaMigrationRun
        from .schema_status import active_run, behind_schemas

        if active_run() is not None:
            messages.error(request, "Đang có một đợt cập nhật lược đồ chạy; hãy chờ nó kết thúc.")
            return redirect("console:schemas")
        if not behind_schemas():
            messages.info(request, "Mọi lược đồ đã cập nhật; không có gì để chạy.")
            return redirect("console:schemas")
        run = SchemaMigrationRun.objects.create(requested_by=request.user)
        from celery import current_app
        from wagtail.log_actions import log

        log(run, "tenants.schemas_migrate", user=request.user, data={"run": run.pk})

        try:
            current_app.send_task("tasks.schema_migrations.migrate_behind_schemas", args=[run.pk])
        except BROKER_DOWN:
            run.state = SchemaMigrationRun.State.FAILED
            run.failures = {"": "Không gửi được yêu cầu cho hệ thống xử lý (Redis không phản hồi)."}
            run.save()
            messages.error(request, "Không gửi được yêu cầu cho hệ thống xử lý; hãy thử lại sau.")
            return redirect("console:schemas")
        messages.success(request, "Đã gửi yêu cầu cập nhật các lược đồ còn thiếu migration.")
        return redirect("console:schemas")
