"""Which job is which task, and sending a job to the worker (by task name)."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.enqueue import BROKER_DOWN
from tenants.models import LeasedJob, ProcedureImport, SiteMerge

logger = logging.getLogger(__name__)


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
