"""Procedures flow down: fan-out, per-(site, batch) upserts, and the reconciliation sweep.

The logic lives in ``tenants.procedures.syndication``; these tasks take ids and schema
names only.  Reliability rests on two things:

- ``acks_late`` + ``reject_on_worker_lost``: a message is acknowledged only once its task
  has finished, so a worker killed mid-task leaves it to be delivered again;
- the receipts in PostgreSQL: a fan-out writes *pending* receipts before queuing, and
  ``reconcile_syndication`` (beat, and after an incident) queues again whatever stayed
  pending — which also covers messages lost with a Redis restart.

Every task is idempotent, so a message delivered twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.db import DatabaseError, InterfaceError, OperationalError
from tenant_schemas_celery.task import TenantTask

RETRY_ON = (OperationalError, InterfaceError, DatabaseError, ConnectionError, TimeoutError)


class SyndicationTask(TenantTask):
    """Late acknowledgement, retried with exponential backoff on database/connection errors."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = RETRY_ON
    retry_backoff = 2
    retry_backoff_max = 120
    retry_jitter = True
    max_retries = 5


class ApplyBatchTask(SyndicationTask):
    abstract = True

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """After the last retry: the receipts say "failed", with the error, for the console."""
        from tenants.procedures.syndication import mark_failed

        tenant_id, _schema, items = (list(args) + [None, None, []])[:3]
        mark_failed(tenant_id, [tuple(i) for i in items or []], f"{type(exc).__name__}: {exc}")


@shared_task(name="tasks.syndication.fan_out_procedures", base=SyndicationTask, ignore_result=True)
def fan_out_procedures(procedure_ids: list[int]) -> int:
    """Pending receipts for the current versions of ``procedure_ids``; queue the batches."""
    from django.db import connection

    from tenants.procedures.syndication import fan_out

    connection.set_schema_to_public()
    return fan_out(procedure_ids)


@shared_task(name="tasks.syndication.apply_procedure_batch", base=ApplyBatchTask)
def apply_procedure_batch(tenant_id: int | None, schema_name: str, items: list[list[int]]) -> int:
    """Upsert one batch of (procedure id, version) into one site's schema; idempotent."""
    from tenants.procedures.syndication import apply_batch

    return apply_batch(tenant_id, schema_name, [(int(p), int(v)) for p, v in items])


@shared_task(
    name="tasks.syndication.reconcile_syndication", base=SyndicationTask, ignore_result=True
)
def reconcile_syndication(older_than_seconds: int = 300) -> dict[str, Any]:
    """Beat: fan out what was never fanned out, queue again what stayed pending."""
    from django.db import connection

    from tenants.procedures.syndication import reconcile, sync_template

    connection.set_schema_to_public()
    outcome = reconcile(timedelta(seconds=older_than_seconds))
    for level in ("province", "district", "commune"):
        sync_template(level)
    return outcome
