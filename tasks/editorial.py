"""Editorial work in the background: workflow e-mails and scheduled publishing, per site."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.mail import send_templated_mail

from .notifications import SMTP_ERRORS


def _site_url(schema: str) -> tuple[str, str]:
    from tenants.models import Tenant
    from tenants.onboarding import site_base_url

    with schema_context(get_public_schema_name()):
        tenant = Tenant.objects.get(schema_name=schema)
        return tenant.name, site_base_url(tenant)


def _message(schema: str, event: str, object_id: int) -> tuple[str, dict, list[str]] | None:
    """Template, context and recipients of one workflow event (None when nobody is told)."""
    from wagtail.models import TaskState, WorkflowState

    site_name, base = _site_url(schema)
    with schema_context(schema):
        if event == "task_submitted":
            state = TaskState.objects.select_related("workflow_state").get(pk=object_id)
            page = state.workflow_state.content_object
            task = state.task.specific
            submitter = state.workflow_state.requested_by_id
            users = {
                user
                for group in task.groups.all()
                for user in group.user_set.filter(is_active=True).exclude(pk=submitter)
                if user.email
            }
            template = "editorial/email/review_requested"
            context = {"task_name": task.name}
            recipients = sorted(user.email for user in users)
        else:
            state = WorkflowState.objects.select_related("requested_by").get(pk=object_id)
            page = state.content_object
            author = state.requested_by
            if author is None or not author.email:
                return None
            recipients = [author.email]
            if event == "workflow_rejected":
                rejected = (
                    state.task_states.filter(status=TaskState.STATUS_REJECTED)
                    .order_by("-finished_at")
                    .first()
                )
                template = "editorial/email/page_rejected"
                context = {"comment": rejected.comment if rejected else ""}
            else:
                template = "editorial/email/page_approved"
                context = {}
        context.update(
            site_name=site_name,
            title=page.get_admin_display_title(),
            edit_url=f"{base}/admin/pages/{page.pk}/edit/",
        )
    if not recipients:
        return None
    return template, context, recipients


@shared_task(
    name="tasks.editorial.notify_workflow_event",
    autoretry_for=SMTP_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def notify_workflow_event(schema: str, event: str, object_id: int) -> str:
    """E-mail the people a workflow event concerns (reviewers or author); retried on SMTP errors."""
    message = _message(schema, event, object_id)
    if message is None:
        return "nobody"
    template, context, recipients = message
    send_templated_mail(template, context, recipients)
    return f"sent:{len(recipients)}"


@shared_task(name="tasks.editorial.publish_scheduled_site", ignore_result=True)
def publish_scheduled_site(schema: str) -> None:
    """Publish what reached its go-live time and unpublish what expired, in one site."""
    with schema_context(schema):
        call_command("publish_scheduled", verbosity=0)


@shared_task(name="tasks.editorial.publish_scheduled_all")
def publish_scheduled_all() -> int:
    """Scheduled by beat: one task per active site."""
    from tenants.models import Tenant

    connection.set_schema_to_public()
    schemas = list(
        Tenant.objects.exclude(schema_name=get_public_schema_name())
        .filter(status=Tenant.Status.ACTIVE)
        .values_list("schema_name", flat=True)
    )
    for schema in schemas:
        publish_scheduled_site.delay(schema)
    return len(schemas)
