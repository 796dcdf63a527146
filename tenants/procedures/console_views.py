"""Console pages of the procedure catalogue: list, edit, withdraw, forms, import/export,
and where each procedure stands on each site (syndication status, retries)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.models import ModelLogEntry

from tenants.console_views.access import PlatformStaffRequired
from tenants.jobs import JobActionError
from tenants.lifecycle import audit
from tenants.models import ProcedureImport, Tenant

from . import imports, services, syndication
from .forms import FormUploadForm, ImportForm, ProcedureEditForm
from .models import Level, Procedure, SyndicationReceipt, forms_storage
from .text import search_terms
from .transfer import FORMATS, ImportFileError, export_bytes

PAGE_SIZE = 50


def site_states(receipts: list[SyndicationReceipt]) -> dict[str, int]:
    counts = {"done": 0, "pending": 0, "failed": 0}
    for receipt in receipts:
        counts[receipt.status] = counts.get(receipt.status, 0) + 1
    return counts


class CatalogueView(PlatformStaffRequired, TemplateView):
    """The master catalogue: search, filter by field, level and status."""

    template_name = "procedure_catalog/console/catalogue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        procedures = Procedure.objects.select_related("owner")
        query = (params.get("q") or "").strip()[:200]
        for term in search_terms(query):
            procedures = procedures.filter(search_text__contains=term)
        field = (params.get("linh-vuc") or "").strip()
        if field:
            procedures = procedures.filter(field=field)
        level = params.get("cap") or ""
        if level in Level.values:
            procedures = procedures.filter(levels__contains=[level])
        status = params.get("tinh-trang") or ""
        if status in Procedure.Status.values:
            procedures = procedures.filter(status=status)
        procedures = procedures.annotate(
            failed=Count(
                "receipts",
                filter=Q(receipts__status="failed", receipts__version=F("version")),
            ),
            pending=Count(
                "receipts",
                filter=Q(receipts__status="pending", receipts__version=F("version")),
            ),
        )
        query_params = params.copy()
        query_params.pop("trang", None)
        context.update(
            page_obj=Paginator(procedures.order_by("code"), PAGE_SIZE).get_page(
                params.get("trang")
            ),
            query=query,
            selected_field=field,
            selected_level=level,
            selected_status=status,
            fields=Procedure.objects.order_by("field").values_list("field", flat=True).distinct(),
            levels=Level.choices,
            statuses=Procedure.Status.choices,
            querystring=query_params.urlencode(),
            total=Procedure.objects.count(),
            formats=FORMATS,
        )
        return context


class ProcedureEditView(PlatformStaffRequired, FormView):
    """Create a procedure (no code in the URL) or edit one (a new version if it changed)."""

    template_name = "procedure_catalog/console/edit.html"
    form_class = ProcedureEditForm

    def dispatch(self, request, *args, **kwargs):
        self.procedure = None
        if "code" in kwargs:
            self.procedure = get_object_or_404(Procedure, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.procedure or Procedure()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(procedure=self.procedure, **kwargs)

    def form_valid(self, form):
        procedure, changed = services.save_procedure(form, user=self.request.user)
        if self.procedure is None:
            messages.success(
                self.request, f"Đã thêm thủ tục {procedure.code}; đang gửi tới các trang."
            )
        elif changed:
            messages.success(
                self.request,
                f"Đã lưu phiên bản {procedure.version} của thủ tục {procedure.code}; "
                "đang gửi tới các trang.",
            )
        else:
            messages.info(self.request, "Không có thay đổi nào; phiên bản giữ nguyên.")
        return redirect("console:procedures:detail", code=procedure.code)

    def form_invalid(self, form):
        messages.error(self.request, "Thông tin chưa hợp lệ; chưa có gì được lưu.")
        return super().form_invalid(form)


class ProcedureDetailView(PlatformStaffRequired, TemplateView):
    """One procedure: its fields, forms, versions, audit trail and state on every site."""

    template_name = "procedure_catalog/console/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        procedure = get_object_or_404(
            Procedure.objects.select_related("owner"), code=kwargs["code"]
        )
        targets = list(syndication.target_tenants(procedure).order_by("code"))
        receipts = {
            r.tenant_id: r
            for r in SyndicationReceipt.objects.filter(
                procedure=procedure, version=procedure.version
            )
        }
        rows = []
        for tenant in targets:
            receipt = receipts.get(tenant.pk)
            rows.append((tenant, receipt.status if receipt else "pending", receipt))
        context.update(
            procedure=procedure,
            rows=rows,
            counts=site_states([r for _t, _s, r in rows if r]),
            missing=sum(1 for _t, _s, r in rows if r is None),
            versions=procedure.versions.select_related("created_by")[:20],
            entries=ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Procedure),
                object_id=str(procedure.pk),
            )
            .select_related("user")
            .order_by("-timestamp")[:20],
            upload_form=FormUploadForm(),
        )
        return context


class ProcedureActionView(PlatformStaffRequired, View):
    """POST-only actions on one procedure; a refusal is a message and changes nothing."""

    def post(self, request, code: str, action: str):
        procedure = get_object_or_404(Procedure, code=code)
        user = request.user
        try:
            if action == "withdraw":
                services.withdraw(procedure, user=user)
                messages.success(request, "Đã thu hồi thủ tục; các trang sẽ gỡ thủ tục này.")
            elif action == "restore":
                services.restore(procedure, user=user)
                messages.success(request, "Thủ tục được áp dụng lại.")
            elif action == "retry":
                tasks = syndication.retry_failed(procedure=procedure)
                services.audit_procedure(procedure, "procedures.retry", user, None, tasks=tasks)
                messages.success(request, f"Đã gửi lại ({tasks} tác vụ).")
            elif action == "add-form":
                form = FormUploadForm(request.POST, request.FILES)
                if not form.is_valid():
                    for errors in form.errors.values():
                        for error in errors:
                            messages.error(request, f"{error} Chưa có gì thay đổi.")
                else:
                    services.add_form(
                        procedure, form.cleaned_data["title"], form.cleaned_data["file"], user=user
                    )
                    messages.success(request, "Đã thêm biểu mẫu (phiên bản mới).")
            elif action == "remove-form":
                try:
                    form_id = int(request.POST.get("form", ""))
                except ValueError:
                    raise services.CatalogueError("Biểu mẫu không hợp lệ.") from None
                services.remove_form(procedure, form_id, user=user)
                messages.success(request, "Đã gỡ biểu mẫu (phiên bản mới).")
            else:
                messages.error(request, "Thao tác không hợp lệ.")
        except services.CatalogueError as exc:
            messages.error(request, f"{exc} Không có gì thay đổi.")
        return redirect("console:procedures:detail", code=procedure.code)


class FormFileView(PlatformStaffRequired, View):
    """Download a form of the master catalogue."""

    def get(self, request, code: str, form_id: int):
        procedure = get_object_or_404(Procedure, code=code)
        form = procedure.forms.filter(pk=form_id).first()
        if form is None or not forms_storage().exists(form.file.name):
            raise Http404("Không có biểu mẫu này")
        return FileResponse(form.file.open("rb"), as_attachment=True, filename=form.filename)


class SiteStatusView(PlatformStaffRequired, TemplateView):
    """One site: every procedure it should hold, up to date / pending / failed."""

    template_name = "procedure_catalog/console/site_status.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        tenant = get_object_or_404(Tenant, code=kwargs["site"])
        procedures = list(syndication.procedures_for_tenant(tenant).order_by("code"))
        receipts = {
            (r.procedure_id, r.version): r
            for r in SyndicationReceipt.objects.filter(
                tenant=tenant, procedure_id__in=[p.pk for p in procedures]
            )
        }
        rows = []
        for procedure in procedures:
            receipt = receipts.get((procedure.pk, procedure.version))
            rows.append((procedure, receipt.status if receipt else "pending", receipt))
        wanted = self.request.GET.get("tinh-trang")
        counts = {"done": 0, "pending": 0, "failed": 0}
        for _p, state, _r in rows:
            counts[state] += 1
        if wanted in counts:
            rows = [row for row in rows if row[1] == wanted]
        context.update(
            site=tenant,
            page_obj=Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("trang")),
            counts=counts,
            selected_status=wanted or "",
        )
        return context


class SiteRetryView(PlatformStaffRequired, View):
    """Queue again the failed procedures of one site (audited on the site)."""

    def post(self, request, site: str):
        tenant = get_object_or_404(Tenant, code=site)
        tasks = syndication.retry_failed(tenant=tenant)
        audit(tenant, "procedures.retry", request.user, None, tasks=tasks)
        messages.success(request, f"Đã gửi lại các thủ tục lỗi của {tenant.name} ({tasks} tác vụ).")
        return redirect("console:procedures:site", site=tenant.code)


class ImportView(PlatformStaffRequired, FormView):
    """Upload JSON/CSV/XLSX; the worker validates every row, then imports (status page)."""

    template_name = "procedure_catalog/console/import.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            recent=ProcedureImport.objects.select_related("requested_by").defer("content")[:10],
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            job = imports.request_import(
                upload.name,
                upload.read(),
                valid_only=form.cleaned_data["valid_only"],
                user=self.request.user,
            )
        except ImportFileError as exc:
            form.add_error("file", f"{exc} Không có gì thay đổi.")
            return self.form_invalid(form)
        messages.success(self.request, "Đã nhận tệp; hệ thống đang kiểm tra từng dòng.")
        return redirect("console:procedures:import_status", pk=job.pk)


class ImportStatusView(PlatformStaffRequired, TemplateView):
    """Progress and report of one import (refreshes itself until it is finished)."""

    template_name = "procedure_catalog/console/import_status.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = get_object_or_404(
            ProcedureImport.objects.select_related("requested_by").defer("content"),
            pk=kwargs["pk"],
        )
        data = job.report or {}
        context.update(
            job=job,
            data=data,
            errors=imports.report_errors(data),
            entries=ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(ProcedureImport),
                object_id=str(job.pk),
            )
            .select_related("user")
            .order_by("-timestamp"),
        )
        return context


class ImportJobActionView(PlatformStaffRequired, TemplateView):
    """Retry or cancel an import: GET asks for confirmation, POST does it (audited)."""

    template_name = "tenants/console/job_confirm.html"
    ACTIONS = {
        "chay-lai": ("Chạy lại lần nhập", "Tệp đã tải lên được kiểm tra và nhập lại từ đầu."),
        "huy": ("Huỷ lần nhập", "Phần đang làm (nếu có) được hoàn tác; danh mục không đổi."),
    }

    def dispatch(self, request, *args, **kwargs):
        self.job = get_object_or_404(ProcedureImport.objects.defer("content"), pk=kwargs["pk"])
        if kwargs["action"] not in self.ACTIONS:
            messages.error(request, "Thao tác không hợp lệ.")
            return redirect("console:procedures:import_status", pk=self.job.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        title, explanation = self.ACTIONS[kwargs["action"]]
        return super().get_context_data(
            title=title,
            explanation=explanation,
            subject=f"Nhập tệp {self.job.filename}",
            back_url=reverse("console:procedures:import_status", args=[self.job.pk]),
            **kwargs,
        )

    def post(self, request, pk: int, action: str):
        try:
            if action == "chay-lai":
                imports.retry_import(self.job, user=request.user)
                messages.success(request, "Đã gửi lại; hệ thống đang kiểm tra từng dòng.")
            else:
                messages.success(request, imports.cancel_import(self.job, user=request.user))
        except JobActionError as exc:
            messages.error(request, f"{exc} Không có gì thay đổi.")
        return redirect("console:procedures:import_status", pk=self.job.pk)


class ExportView(PlatformStaffRequired, View):
    """Download the whole catalogue as JSON, CSV or XLSX."""

    TYPES = {
        "json": "application/json",
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }

    def get(self, request):
        fmt = request.GET.get("dinh-dang", "json")
        if fmt not in self.TYPES:
            messages.error(request, "Định dạng xuất không hợp lệ: chỉ JSON, CSV hoặc XLSX.")
            return redirect("console:procedures:list")
        response = HttpResponse(export_bytes(fmt), content_type=self.TYPES[fmt])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="thu-tuc-{stamp}.{fmt}"'
        return response
