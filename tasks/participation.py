"""Notifications of citizen participation: new questions, answers, deadline reminders."""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from django_tenants.utils import schema_context

from component_sites.core.mail import send_templated_mail

SMTP_ERRORS = (ConnectionError, TimeoutError, OSError)


def _staff_emails() -> list[str]:
    """Who handles questions in the current site: users allowed to change them, and admins."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    wanted = Q(is_superuser=True) | Q(
        groups__permissions__codename="change_question",
        groups__permissions__content_type__app_label="participation",
    )
    return sorted(set(users.filter(wanted).values_list("email", flat=True)))


def _site_name(schema: str) -> str:
    from tenants.models import Tenant

    with schema_context("public"):
        tenant = Tenant.objects.filter(schema_name=schema).first()
    return tenant.name if tenant else schema


@shared_task(
    name="tasks.participation.notify_new_question",
    autoretry_for=SMTP_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def notify_new_question(schema: str, question_id: int) -> str:
    """Tell the site's staff of a new question, and the citizen their tracking code."""
    from component_sites.participation.models import Question

    site = _site_name(schema)
    with schema_context(schema):
        question = Question.objects.get(pk=question_id)
        staff = _staff_emails()
        context = {
            "site_name": site,
            "question": question,
            "kind": str(question.get_kind_display()),
        }
        if staff:
            send_templated_mail("participation/email/new_question_staff", context, staff)
        if question.asker_email:
            send_templated_mail(
                "participation/email/question_received", context, [question.asker_email]
            )
    return "sent"


@shared_task(
    name="tasks.participation.notify_answer",
    autoretry_for=SMTP_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def notify_answer(schema: str, question_id: int) -> str:
    """Tell the citizen their question has been answered (they read it by tracking code)."""
    from component_sites.participation.models import Question

    site = _site_name(schema)
    with schema_context(schema):
        question = Question.objects.get(pk=question_id)
        if not question.asker_email:
            return "no-email"
        send_templated_mail(
            "participation/email/question_answered",
            {"site_name": site, "question": question, "answer": question.answer},
            [question.asker_email],
        )
    return "sent"


@shared_task(
    name="tasks.participation.remind_deadlines",
    autoretry_for=SMTP_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def remind_deadlines(schema: str) -> int:
    """Mail staff once about each open question with few working days left; idempotent.

    A question is marked reminded in the same transaction as its selection, so a retried
    or duplicated run does not send the reminder twice.
    """
    from django.db import transaction
    from django.utils import timezone

    from component_sites.participation import workdays
    from component_sites.participation.models import REMINDER_WORKING_DAYS, Question

    with schema_context(schema), transaction.atomic():
        today = timezone.localdate()
        limit = workdays.add_working_days(today, REMINDER_WORKING_DAYS)
        due = list(
            Question.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(reminder_sent_at__isnull=True, due_date__lte=limit)
            .exclude(status__in=[Question.Status.PUBLISHED, Question.Status.REFUSED])
            .select_related("assignee")
        )
        if not due:
            return 0
        recipients = set(_staff_emails())
        recipients.update(q.assignee.email for q in due if q.assignee and q.assignee.email)
        if recipients:
            send_templated_mail(
                "participation/email/deadline_reminder",
                {"site_name": _site_name(schema), "questions": due, "today": today},
                sorted(recipients),
            )
        Question.objects.filter(pk__in=[q.pk for q in due]).update(reminder_sent_at=timezone.now())
    return len(due)


@shared_task(name="tasks.participation.remind_all_sites")
def remind_all_sites() -> int:
    """Scheduled by beat: one reminder task per active site."""
    from tenants.models import Tenant

    connection.set_schema_to_public()
    schemas = list(
        Tenant.objects.filter(status=Tenant.Status.ACTIVE)
        .exclude(schema_name="public")
        .values_list("schema_name", flat=True)
    )
    for schema in schemas:
        remind_deadlines.delay(schema)
    return len(schemas)
