"""Long jobs run by the worker (merges, catalogue imports): lease, cleanup, sweep, retry, cancel.

A job's database work is one transaction: a worker killed mid-job leaves nothing half
written there.  What a transaction cannot undo is the files the job wrote and the job's
own row, which would stay "running".  So, while a job runs, its worker keeps a *lease* on
a connection of its own (each statement commits at once, visible while the job's
transaction is still open):

- ``heartbeat_at`` is refreshed every ``JOB_HEARTBEAT_SECONDS``;
- every file written is appended to ``written_files`` right after it is written;
- ``cancel_requested`` (set by the console) is read back, and the job rolls back.

The job also holds an advisory lock (``pg_advisory_xact_lock(kind, id)``) for as long as
its transaction is open; PostgreSQL releases it the moment the worker's connection dies.
``sweep_stale_jobs`` (beat, every minute) takes a running job whose heartbeat is older than
``JOB_LEASE_SECONDS`` *and* whose advisory lock is free: its worker is gone.  It deletes the
files listed, then queues the job again (at most ``JOB_MAX_ATTEMPTS`` attempts in all) or
marks it failed, to be retried from the console.  A job still pending
``JOB_REQUEUE_PENDING_SECONDS`` after it was queued (the broker lost the message) is queued
again; a duplicate delivery is harmless (it waits for the lock, then finds the job done).
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.enqueue import BROKER_DOWN
from tenants.models import JobState, LeasedJob, ProcedureImport, SiteMerge

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """The console asked for the running job to stop; it rolls back."""


@dataclass(frozen=True)
class JobKind:
    model: type[LeasedJob]
    lock: int  # first key of the job's advisory lock
    task: str  # Celery task name, called with the job's id


MERGE = JobKind(SiteMerge, 7301, "tasks.merges.run_site_merge")
IMPORT = JobKind(ProcedureImport, 7302, "tasks.jobs.run_procedure_import")
KINDS = (MERGE, IMPORT)


def kind_of(job: LeasedJob) -> JobKind:
    return next(kind for kind in KINDS if isinstance(job, kind.model))


def setting(name: str) -> int:
    defaults = {
        "JOB_HEARTBEAT_SECONDS": 10,
        "JOB_LEASE_SECONDS": 60,
        "JOB_MAX_ATTEMPTS": 3,
        "JOB_REQUEUE_PENDING_SECONDS": 10 * 60,
    }
    return int(getattr(settings, name, defaults[name]))


def enqueue(job: LeasedJob) -> None:
    """Send the job to the worker by task name (domain code does not import ``tasks``)."""
    from celery import current_app

    kind = kind_of(job)
    with schema_context(get_public_schema_name()):
        type(job).objects.filter(pk=job.pk).update(queued_at=timezone.now())
        if current_app.conf.task_always_eager:  # tests without a worker
            current_app.loader.import_default_modules()
            current_app.tasks[kind.task].apply(args=[job.pk])
        else:
            try:
                current_app.send_task(kind.task, args=[job.pk])
            except BROKER_DOWN as error:
                # The job stays pending with its queued_at: the sweep sends it again once the
                # broker is back (JOB_REQUEUE_PENDING_SECONDS); the request is not failed.
                logger.error(
                    "job %s %s not queued, broker unreachable (%s: %s)",
                    kind.task,
                    job.pk,
                    type(error).__name__,
                    error,
                )


def enqueue_on_commit(job: LeasedJob) -> None:
    transaction.on_commit(lambda: enqueue(job))


def delete_files(files) -> int:
    """Delete ``[schema, name]`` files written by a job; returns how many were there."""
    deleted = 0
    for schema, name in files:
        with schema_context(schema), contextlib.suppress(OSError):
            if default_storage.exists(name):
                default_storage.delete(name)
                deleted += 1
    return deleted


class Lease:
    """The running job's side of the lease, on a connection of its own (autocommit)."""

    def __init__(self, job: LeasedJob):
        self.job = job
        self.table = f'"{get_public_schema_name()}"."{type(job)._meta.db_table}"'
        self.cancelled = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conn = connections.create_connection(DEFAULT_DB_ALIAS)
        self._conn.inc_thread_sharing()
        self._inline = False
        self._thread: threading.Thread | None = None
        self.files: list[tuple[str, str]] = []

    def _execute(self, sql: str, params: list) -> tuple | None:
        with self._lock, self._conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() if cursor.description else None

    def claim(self) -> tuple[int, list]:
        """Mark the job running (one more attempt); returns (attempt, files of a dead attempt)."""
        row = self._execute(
            f"UPDATE {self.table} SET state = %s, started_at = now(), heartbeat_at = now(), "  # noqa: S608 - table name from the model
            "attempts = attempts + 1, finished_at = NULL, error = '' "
            "WHERE id = %s RETURNING attempts, written_files, cancel_requested",
            [JobState.RUNNING, self.job.pk],
        )
        if row is None:
            # The job row is not committed yet (created in the caller's own open
            # transaction: the command, tests): keep the lease in that transaction.
            self._conn.dec_thread_sharing()
            self._conn.close()
            self._conn = connection
            self._inline = True
            return self.claim()
        attempts, files, cancel = row
        if cancel:
            self.cancelled.set()
        if isinstance(files, str | bytes):  # Django leaves jsonb undecoded on raw cursors
            files = json.loads(files)
        return attempts, [tuple(item) for item in files or []]

    def start(self) -> None:
        if self._inline:
            return
        self._thread = threading.Thread(target=self._beat, name=f"lease-{self.table}-{self.job.pk}")
        self._thread.daemon = True
        self._thread.start()

    def _beat(self) -> None:
        interval = setting("JOB_HEARTBEAT_SECONDS")
        while not self._stop.wait(interval):
            try:
                self.heartbeat()
            except Exception:  # a missed beat is not fatal: the next one may pass
                logger.warning("heartbeat of %s %s failed", self.table, self.job.pk, exc_info=True)

    def heartbeat(self, progress: str | None = None) -> None:
        if progress is None:
            sql = f"UPDATE {self.table} SET heartbeat_at = now() WHERE id = %s "  # noqa: S608 - table name from the model
            params: list = [self.job.pk]
        else:
            sql = f"UPDATE {self.table} SET heartbeat_at = now(), progress = %s WHERE id = %s "  # noqa: S608 - table name from the model
            params = [progress[:255], self.job.pk]
        row = self._execute(sql + "RETURNING cancel_requested", params)
        if row and row[0]:
            self.cancelled.set()

    def report(self, message: str) -> None:
        """Progress, visible at once on the status page; raises JobCancelled if asked to stop."""
        self.heartbeat(message)
        self.check()

    def check(self) -> None:
        if self.cancelled.is_set():
            raise JobCancelled(_("Đã huỷ theo yêu cầu."))

    def wrote(self, schema: str, name: str) -> None:
        """Record a file just written (deleted again if the job does not commit)."""
        self.files.append((schema, name))
        self._execute(
            f"UPDATE {self.table} SET written_files = written_files || %s::jsonb WHERE id = %s",  # noqa: S608 - table name from the model
            [f'[["{schema}", {_json_string(name)}]]', self.job.pk],
        )
        self.check()

    def forget_files(self) -> None:
        sql = f"UPDATE {self.table} SET written_files = '[]' WHERE id = %s"  # noqa: S608
        self._execute(sql, [self.job.pk])

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._inline:
            return
        with self._lock:
            self._conn.dec_thread_sharing()
            self._conn.close()


def _json_string(text: str) -> str:
    return json.dumps(text)


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


# --- the sweep -----------------------------------------------------------------------


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


# --- retry and cancel from the console --------------------------------------------------


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
