"""Merging sites from the console: the request form, its status page, retry and cancel."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from tenants import lifecycle, merging
from tenants.console_forms import MergeForm
from tenants.models import SiteMerge

from .access import PlatformStaffRequired


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
