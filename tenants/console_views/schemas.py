"""Migration status of every site's schema, and bringing the ones behind up to date."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from tenants.models import Tenant

from .access import PlatformStaffRequired


class SchemaStatusView(PlatformStaffRequired, TemplateView):
    """Migration status of every site's schema; starts (or resumes) bringing them up to date."""

    template_name = "tenants/console/schema_status.html"

    def get_context_data(self, **kwargs):
        from tenants.models import SchemaMigrationRun
        from tenants.schema_status import active_run, schema_statuses

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
        from tenants.models import SchemaMigrationRun
        from tenants.schema_status import active_run, behind_schemas

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
