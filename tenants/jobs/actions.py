"""Retry and cancel, asked for from the console."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import JobState, LeasedJob

from .queue import enqueue_on_commit


class JobActionError(Exception):
    """A retry or cancel that cannot be done now (message in Vietnamese)."""


def cancel(job: LeasedJob) -> str:
    """Cancel a pending job at once, or ask a running one to roll back; returns the message."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        fresh = type(job).objects.select_for_update().get(pk=job.pk)
        if fresh.state == JobState.PENDING:
            fresh.state = JobState.CANCELLED
            fresh.cancel_requested = True
            fresh.finished_at = timezone.now()
            fresh.progress = _("Đã huỷ; không có gì thay đổi")
            fresh.save()
            return _("Đã huỷ; không có gì thay đổi.")
        if fresh.state == JobState.RUNNING:
            if fresh.cancel_requested:
                raise JobActionError(_("Đã yêu cầu huỷ; hệ thống đang hoàn tác."))
            fresh.cancel_requested = True
            fresh.save(update_fields=["cancel_requested"])
            return _("Đã yêu cầu huỷ; hệ thống hoàn tác phần đang làm trong vài giây.")
        raise JobActionError(_("Công việc đã kết thúc, không huỷ được."))


def reset_for_retry(job: LeasedJob) -> None:
    """Put a failed or cancelled job back in the queue (the caller validates it first)."""
    with schema_context(get_public_schema_name()):
        fresh = type(job).objects.select_for_update().get(pk=job.pk)
        if not fresh.can_retry:
            raise JobActionError(_("Chỉ chạy lại được công việc đã thất bại hoặc đã huỷ."))
        type(job).objects.filter(pk=job.pk).update(
            state=JobState.PENDING,
            error="",
            progress=_("Chạy lại theo yêu cầu"),
            attempts=0,
            cancel_requested=False,
            started_at=None,
            heartbeat_at=None,
            finished_at=None,
            written_files=[],
        )
        job.refresh_from_db()
        enqueue_on_commit(job)
