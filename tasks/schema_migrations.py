"""Bringing site schemas that are behind up to date, for the console (``tenants.schema_status``)."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded


@shared_task(name="tasks.schema_migrations.migrate_behind_schemas", ignore_result=True)
def migrate_behind_schemas(run_id: int) -> str:
    """Migrate every schema still behind, recording progress in the run ``run_id``.

    Idempotent: the schemas are read again at the start, so a duplicate or a later run only
    does what is left.  Not retried: a run cut short (time limit, worker lost) is marked
    failed, and the console offers to resume.
    """
    from django.utils import timezone

    from tenants.models import JobState, SchemaMigrationRun
    from tenants.schema_status import migrate_behind

    run = SchemaMigrationRun.objects.get(pk=run_id)
    if run.state not in (JobState.PENDING, JobState.RUNNING):
        return run.state
    try:
        return migrate_behind(run).state
    except SoftTimeLimitExceeded:
        run.state, run.finished_at = JobState.FAILED, timezone.now()
        run.failures = {**run.failures, "": "Hết thời gian chạy; bấm “Tiếp tục” để chạy tiếp."}
        run.save()
        return run.state
