"""Asking for a merge, and what an admin does with the request: retry, cancel.

``request_merge`` validates and queues the work (a merge copies files and can take
minutes, and a web request never reads other sites' schemas); ``merge_now`` records and
performs one in this process (the ``merge_sites`` command).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from tenants import jobs
from tenants.lifecycle import LifecycleError, audit, on_public_schema
from tenants.models import SiteMerge, Tenant

from .run import perform_merge
from .validation import validate_merge


@on_public_schema
def request_merge(survivor: Tenant, absorbed: Sequence[Tenant], user=None) -> SiteMerge:
    """Validate and queue a merge for the worker; returns the request to follow."""
    validate_merge(survivor, absorbed)
    merge = SiteMerge.objects.create(
        survivor=survivor,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    merge.absorbed.set(absorbed)

    jobs.enqueue_on_commit(merge)
    return merge


def retry_merge(merge: SiteMerge, user=None) -> SiteMerge:
    """Queue a failed or cancelled merge again (checked again first); audited on the survivor."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        merge = SiteMerge.objects.select_for_update().get(pk=merge.pk)
        if not merge.can_retry:
            raise LifecycleError(_("Chỉ chạy lại được yêu cầu đã thất bại hoặc đã huỷ."))
        validate_merge(merge.survivor, list(merge.absorbed.all()), running=merge)
        jobs.reset_for_retry(merge)
        audit(merge.survivor, "tenants.merge_retry", user, None, merge=merge.pk)
    return merge


def cancel_merge(merge: SiteMerge, user=None) -> str:
    """Cancel a queued merge, or make a running one roll back; audited on the survivor."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        try:
            message = jobs.cancel(merge)
        except jobs.JobActionError as exc:
            raise LifecycleError(str(exc)) from exc
        audit(merge.survivor, "tenants.merge_cancel", user, None, merge=merge.pk)
    return message


def merge_now(
    survivor: Tenant,
    absorbed: Sequence[Tenant],
    user=None,
    progress: Callable[[str], None] | None = None,
) -> SiteMerge:
    """Validate, record and perform a merge in this process (the management command)."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        validate_merge(survivor, absorbed)
        merge = SiteMerge.objects.create(
            survivor=survivor,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
        )
        merge.absorbed.set(absorbed)
    return perform_merge(merge, progress)
