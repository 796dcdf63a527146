"""Catalogue imports run by the worker: the upload is kept, validated and committed by a task.

A 10,000-row file takes minutes to validate and write, longer than a proxy waits for a
web request.  The console stores the upload in a ``ProcedureImport`` row and queues the
job; the worker reads it, validates every row (progress every 500 rows), writes the
valid ones in one transaction under the job lease of ``tenants.jobs`` (killed midway:
nothing is written, and the sweep runs it again) and keeps the report: counts and every
error by line and field.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.log_actions import log

from tenants import jobs
from tenants.models import ProcedureImport

from .transfer import MAX_BYTES, ImportFileError, ImportReport, RowError, detect_format, import_file


def request_import(name: str, content: bytes, *, valid_only: bool = False, user=None):
    """Check what can be checked at once (format, size), store the upload, queue the job."""
    detect_format(name)
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("Tệp lớn hơn 20 MB."))
    if not content.strip():
        raise ImportFileError(_("Tệp rỗng."))
    with schema_context(get_public_schema_name()), transaction.atomic():
        job = ProcedureImport.objects.create(
            filename=name[:255],
            content=content,
            valid_only=valid_only,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
        )
        jobs.enqueue_on_commit(job)
    return job


def perform_import(import_id: int) -> ProcedureImport | None:
    """Run one queued import (the worker's task); a duplicate delivery finds it finished."""
    with schema_context(get_public_schema_name()):
        job = ProcedureImport.objects.filter(pk=import_id).first()
    if job is None:
        return None

    def work(lease: jobs.Lease) -> dict:
        lease.report(_("Đọc tệp"))
        try:
            report = import_file(
                job.filename,
                bytes(job.content),
                valid_only=job.valid_only,
                user=job.requested_by,
                progress=lease.report,
            )
        except ImportFileError as exc:
            # The file as a whole is unreadable: a result to show, not a crash.
            return {"report": {"file_error": f"{exc}"}, "rows": 0}
        return {"report": report_data(report), "rows": report.rows}

    def finish(fields: dict) -> None:
        ProcedureImport.objects.filter(pk=job.pk).update(**fields)

    return jobs.run_job(job, work, finish=finish)


def report_data(report: ImportReport) -> dict:
    return {
        "rows": report.rows,
        "applied": report.applied,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "bad_lines": len(report.bad_lines),
        "errors": [asdict(error) for error in report.errors],
    }


def report_errors(data: dict) -> list[RowError]:
    return [RowError(**error) for error in data.get("errors", [])]


def audit_import(job: ProcedureImport, action: str, user) -> None:
    """Log a console action on an import job (its status page lists them)."""
    log(
        job,
        action,
        user=user if getattr(user, "is_authenticated", False) else None,
        data={"filename": job.filename, "state": job.state},
        title=job.filename[:255],
    )


def retry_import(job: ProcedureImport, user=None) -> None:
    with schema_context(get_public_schema_name()), transaction.atomic():
        jobs.reset_for_retry(job)
        audit_import(job, "procedures.import_retry", user)


def cancel_import(job: ProcedureImport, user=None) -> str:
    with schema_context(get_public_schema_name()), transaction.atomic():
        message = jobs.cancel(job)
        audit_import(job, "procedures.import_cancel", user)
    return message
