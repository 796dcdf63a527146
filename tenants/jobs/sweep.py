"""The sweep (beat, every minute): jobs whose worker died or whose message was lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import JobState

from .queue import KINDS, JobKind, delete_files, enqueue, enqueue_on_commit, setting

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    requeued: list[str]
    failed: list[str]
    resent: list[str]
    files_deleted: int = 0

    def __bool__(self) -> bool:
        return bool(self.requeued or self.failed or self.resent)


def _lock_is_free(kind: JobKind, pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [kind.lock, pk])
        return bool(cursor.fetchone()[0])


def sweep_stale_jobs(
    stale_after: float | None = None, pending_after: float | None = None
) -> SweepResult:
    """Recover jobs whose worker died (stale heartbeat, free lock) or whose message was lost."""
    stale_after = setting("JOB_LEASE_SECONDS") if stale_after is None else stale_after
    if pending_after is None:
        pending_after = setting("JOB_REQUEUE_PENDING_SECONDS")
    now = timezone.now()
    result = SweepResult([], [], [])
    with schema_context(get_public_schema_name()):
        for kind in KINDS:
            stale = kind.model.objects.filter(
                state=JobState.RUNNING, heartbeat_at__lte=now - timedelta(seconds=stale_after)
            ).values_list("pk", flat=True)
            for pk in list(stale):
                with transaction.atomic():
                    if not _lock_is_free(kind, pk):
                        continue  # its worker is alive (slow heartbeat): leave it
                    job = kind.model.objects.select_for_update().get(pk=pk)
                    if job.state != JobState.RUNNING:
                        continue
                    result.files_deleted += delete_files(job.written_files)
                    job.written_files = []
                    label = f"{kind.model.__name__}:{pk}"
                    if job.cancel_requested:
                        job.state = JobState.CANCELLED
                        job.finished_at = timezone.now()
                        job.progress = _("Đã huỷ; không có gì thay đổi")
                        result.failed.append(label)
                    elif job.attempts < setting("JOB_MAX_ATTEMPTS"):
                        job.state = JobState.PENDING
                        job.progress = _(
                            "Tiến trình xử lý bị dừng giữa chừng (lần %(n)d); đã hoàn tác, "
                            "đang chạy lại."
                        ) % {"n": job.attempts}
                        result.requeued.append(label)
                        enqueue_on_commit(job)
                    else:
                        job.state = JobState.FAILED
                        job.finished_at = timezone.now()
                        job.error = _(
                            "Tiến trình xử lý bị dừng giữa chừng %(n)d lần; đã hoàn tác, không "
                            "có gì thay đổi. Có thể chạy lại."
                        ) % {"n": job.attempts}
                        job.progress = _("Thất bại; không có gì thay đổi")
                        result.failed.append(label)
                    job.save()
            lost = kind.model.objects.filter(
                state=JobState.PENDING, queued_at__lte=now - timedelta(seconds=pending_after)
            )
            for job in lost:
                result.resent.append(f"{kind.model.__name__}:{job.pk}")
                enqueue(job)
    if result:
        logger.warning(
            "job sweep: requeued %s, failed %s, resent %s, %s files deleted",
            result.requeued,
            result.failed,
            result.resent,
            result.files_deleted,
        )
    return result
