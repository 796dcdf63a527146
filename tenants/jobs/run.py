"""Running one job: its transaction, advisory lock and lease; a failure changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import JobState, LeasedJob

from .lease import JobCancelled, Lease
from .queue import delete_files, kind_of, setting

logger = logging.getLogger(__name__)


def run_job(
    job: LeasedJob,
    work: Callable[[Lease], dict],
    *,
    finish: Callable[[dict], None],
) -> LeasedJob:
    """Run ``work`` for ``job`` in one transaction under its advisory lock and lease.

    ``work(lease)`` does the job (calling ``lease.report``/``lease.wrote``) and returns the
    fields to save on success; ``finish(fields)`` saves them inside the transaction.  A
    duplicate delivery waits for the lock and finds the job finished.  A delivery that
    finds the job "running" under a free lock takes over from a dead worker: the files it
    wrote are deleted first, then the job starts over.  Any failure rolls back, deletes
    the files written and marks the job failed (or cancelled).
    """
    kind = kind_of(job)
    model = type(job)
    public = get_public_schema_name()
    lease: Lease | None = None
    written: list = []
    try:
        with schema_context(public), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [kind.lock, job.pk])
            job.refresh_from_db()
            if job.is_finished:
                return job
            if job.cancel_requested:
                raise JobCancelled(_("Đã huỷ theo yêu cầu."))
            lease = Lease(job)
            attempt, leftovers = lease.claim()
            if leftovers:
                removed = delete_files(leftovers)
                lease.forget_files()
                logger.warning(
                    "%s %s: removed %s files of an interrupted attempt",
                    model.__name__,
                    job.pk,
                    removed,
                )
            if attempt > setting("JOB_MAX_ATTEMPTS"):
                raise RuntimeError(
                    _("Đã thử %(n)d lần mà không xong (tiến trình xử lý bị dừng mỗi lần).")
                    % {"n": attempt - 1}
                )
            written = lease.files
            lease.start()
            fields = work(lease)
            lease.check()
            with schema_context(public):
                finish(
                    {
                        **fields,
                        "state": JobState.DONE,
                        "finished_at": timezone.now(),
                        "written_files": [],
                        "progress": _("Hoàn tất"),
                    }
                )
    except Exception as exc:
        if lease is not None:
            lease.close()
            lease = None
        # The transaction has rolled back: what it wrote in the database is gone.
        delete_files(written)
        cancelled = isinstance(exc, JobCancelled)
        with schema_context(public):
            model.objects.filter(pk=job.pk).update(
                state=JobState.CANCELLED if cancelled else JobState.FAILED,
                finished_at=timezone.now(),
                error="" if cancelled else (str(exc) or exc.__class__.__name__)[:5000],
                written_files=[],
                progress=_("Đã huỷ; không có gì thay đổi")
                if cancelled
                else _("Thất bại; không có gì thay đổi"),
            )
        job.refresh_from_db()
        if not cancelled:
            logger.warning("%s %s failed: %s", model.__name__, job.pk, exc)
        job._exception = exc  # type: ignore[attr-defined]
        return job
    finally:
        if lease is not None:
            lease.close()
    job.refresh_from_db()
    return job
