"""A new version of a master record when what the sites receive changed; its fan-out queued."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.enqueue import enqueue as queue_task
from component_sites.procedures.models import SYNDICATED_FIELDS
from tenants.procedures.models import Procedure, ProcedureVersion

# The Celery task that fans a version out (tasks.syndication), named, not imported:
# background work calls domain code, never the reverse.
FAN_OUT = "tasks.syndication.fan_out_procedures"


def snapshot(procedure: Procedure) -> dict[str, Any]:
    """What the sites receive of ``procedure`` (its version number excluded)."""
    data: dict[str, Any] = {name: getattr(procedure, name) for name in SYNDICATED_FIELDS}
    data["levels"] = list(data["levels"])
    data["methods"] = list(data["methods"])
    data["origin"] = procedure.owner.name if procedure.owner_id else ""
    data["forms"] = [
        {
            "id": form.pk,
            "title": form.title,
            "path": form.file.name,
            "filename": form.filename,
            "sha256": form.sha256,
            "size": form.size,
        }
        for form in procedure.forms.order_by("pk")
    ]
    return data


def record_version(procedure: Procedure, user=None, queue: bool = True) -> ProcedureVersion | None:
    """Make a new version if what the sites receive changed; queue its fan-out on commit.

    Call inside a transaction, after saving ``procedure`` (and its forms).  Returns the
    new version, or None when nothing the sites see has changed.
    """
    locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
    data = snapshot(locked)
    latest = locked.versions.order_by("-version").first()
    if latest is not None and latest.data == data:
        return None
    number = latest.version + 1 if latest else 1
    Procedure.objects.filter(pk=locked.pk).update(version=number, updated_at=timezone.now())
    procedure.version = number
    created = ProcedureVersion.objects.create(
        procedure=locked,
        version=number,
        data=data,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if queue:
        transaction.on_commit(lambda: queue_fan_out([locked.pk]))
    return created


def queue_fan_out(procedure_ids: Sequence[int]) -> None:
    """Queue the fan-out of the current versions of ``procedure_ids`` (from public)."""
    # With the broker down the versions are already saved: the sweep (reconcile, every five
    # minutes) sends what a site lacks once the broker is back.
    with schema_context(get_public_schema_name()):
        queue_task(FAN_OUT, list(procedure_ids))
