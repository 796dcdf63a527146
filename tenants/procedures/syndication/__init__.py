"""Procedures flow down: versions, fan-out, idempotent upserts into each site, receipts.

What a site holds is decided here; ``tasks.syndication`` only wraps these functions in
Celery tasks.  Everything is keyed by (procedure, version):

- a change to a master record that reaches the citizens makes a new ``ProcedureVersion``;
- the fan-out writes a *pending* receipt for each target site, then queues one task per
  (site, batch);
- a task upserts the copies in the site's schema with one ``INSERT … ON CONFLICT (code)
  DO UPDATE … WHERE copy.version < new.version``: a retried, duplicated or late task
  changes nothing, and local fields are never in the update;
- then it marks the receipts *done* in public.  Receipts are the truth the reconciliation
  sweep works from: whatever the broker or a worker lost is found and queued again.

- ``versions``: ``snapshot``, ``record_version``, ``queue_fan_out``;
- ``targets``: ``target_tenants``, ``procedures_for_tenant``;
- ``copies``: ``upsert_copies``, ``apply_batch``, ``mark_failed``, ``sync_site``, ``sync_template``;
- ``distribution``: ``fan_out``, ``queue_items``, ``requeue``, ``retry_failed``, ``reconcile``.
"""

from .copies import (
    COPY_TABLE,
    Item,
    apply_batch,
    mark_failed,
    missing_items,
    sync_site,
    sync_template,
    upsert_copies,
)
from .distribution import (
    APPLY_BATCH,
    batch_size,
    current_receipts,
    fan_out,
    queue_items,
    reconcile,
    requeue,
    retry_failed,
)
from .targets import procedures_for_tenant, target_tenants
from .versions import FAN_OUT, queue_fan_out, record_version, snapshot

__all__ = [
    "APPLY_BATCH",
    "COPY_TABLE",
    "FAN_OUT",
    "Item",
    "apply_batch",
    "batch_size",
    "current_receipts",
    "fan_out",
    "mark_failed",
    "missing_items",
    "procedures_for_tenant",
    "queue_fan_out",
    "queue_items",
    "reconcile",
    "record_version",
    "requeue",
    "retry_failed",
    "snapshot",
    "sync_site",
    "sync_template",
    "target_tenants",
    "upsert_copies",
]
