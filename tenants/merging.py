"""Merging sites: what the 2025 reform did to thousands of communes.

The content of each absorbed site moves into the surviving site under a branch of its own
(pages, images, documents; see ``component_sites.core.transfer``).  The absorbed site's
domains become legacy domains of the survivor: every old URL answers 301 with the moved
page (the branch's path prefix) or the moved file (an exact ``MovedPath``).  The absorbed
site is archived, its schema kept for reference; its child sites move to the survivor.

``request_merge`` validates and queues the work (a merge copies files and can take
minutes, and a web request never reads other sites' schemas); ``perform_merge`` does it
in one transaction, from the worker or the ``merge_sites`` command.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.text import ascii_slug

from .lifecycle import LifecycleError, audit, on_public_schema, snapshot
from .models import Domain, MovedPath, SiteMerge, Tenant


def validate_merge(
    survivor: Tenant, absorbed: Sequence[Tenant], *, running: SiteMerge | None = None
) -> None:
    """Refuse a merge that cannot be done, with every reason in words for the admin.

    ``running`` is the request being carried out, left out of the "already queued" check.
    """
    errors: list[str] = []
    if not absorbed:
        errors.append(_("Chọn ít nhất một trang được sáp nhập."))
    ids = [site.pk for site in absorbed]
    if len(set(ids)) != len(ids):
        errors.append(_("Một trang được chọn hai lần."))
    if survivor.pk in ids:
        errors.append(_("Trang còn lại không thể đồng thời là trang được sáp nhập."))
    if survivor.level == Tenant.Level.PROVINCE:
        errors.append(_("Không sáp nhập được cổng thông tin cấp tỉnh."))
    if survivor.status == Tenant.Status.ARCHIVED:
        errors.append(
            _("Trang còn lại “%(name)s” đã được lưu trữ; hãy chọn một trang đang hoạt động.")
            % {"name": survivor.name}
        )
    province = survivor.province
    for site in absorbed:
        if site.pk == survivor.pk:
            continue
        if site.level != survivor.level:
            errors.append(
                _("“%(a)s” (%(la)s) và “%(s)s” (%(ls)s) không cùng cấp.")
                % {
                    "a": site.name,
                    "la": site.get_level_display(),
                    "s": survivor.name,
                    "ls": survivor.get_level_display(),
                }
            )
        elif site.province.pk != province.pk:
            errors.append(
                _("“%(a)s” thuộc %(pa)s, không cùng tỉnh với “%(s)s” (%(ps)s).")
                % {
                    "a": site.name,
                    "pa": site.province.name,
                    "s": survivor.name,
                    "ps": province.name,
                }
            )
        if site.merged_into_id:
            errors.append(
                _("“%(a)s” đã được sáp nhập vào “%(s)s”.")
                % {"a": site.name, "s": site.merged_into.name}
            )
    involved = [survivor.pk, *ids]
    busy = SiteMerge.objects.filter(
        Q(survivor_id__in=involved) | Q(absorbed__in=involved),
        state__in=[SiteMerge.State.PENDING, SiteMerge.State.RUNNING],
    )
    if running is not None:
        busy = busy.exclude(pk=running.pk)
    if busy.exists():
        errors.append(_("Một trong các trang này đang có yêu cầu sáp nhập chưa xong."))
    if errors:
        raise LifecycleError(" ".join(dict.fromkeys(errors)))


@on_public_schema
def request_merge(survivor: Tenant, absorbed: Sequence[Tenant], user=None) -> SiteMerge:
    """Validate and queue a merge for the worker; returns the request to follow."""
    validate_merge(survivor, absorbed)
    merge = SiteMerge.objects.create(
        survivor=survivor,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    merge.absorbed.set(absorbed)
    merge_id = merge.pk

    def enqueue() -> None:
        from tasks.merges import run_site_merge

        run_site_merge.delay(merge_id)

    transaction.on_commit(enqueue)
    return merge


PROGRESS_KEY = "site-merge-progress:%s"
# Advisory lock namespace of merges (first key of pg_try_advisory_xact_lock).
MERGE_LOCK = 7301


def merge_progress(merge: SiteMerge) -> str:
    """The last progress message of a running merge (kept in the cache: the merge's own
    transaction hides its writes until it commits)."""
    with schema_context(get_public_schema_name()):
        return cache.get(PROGRESS_KEY % merge.pk) or merge.progress


def perform_merge(merge: SiteMerge, progress: Callable[[str], None] | None = None) -> SiteMerge:
    """Do the merge in one transaction; on failure nothing changes and the error is kept.

    An advisory lock makes a duplicate delivery of the task wait its turn and then find
    the merge finished; a worker killed mid-merge leaves nothing behind (the transaction
    rolls back) and the redelivered task starts over.
    """
    public = get_public_schema_name()

    def report(message: str) -> None:
        with schema_context(public):
            cache.set(PROGRESS_KEY % merge.pk, message[:255], timeout=24 * 3600)
        if progress:
            progress(message)

    written: list[tuple[str, str]] = []
    try:
        with transaction.atomic():
            with schema_context(public), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [MERGE_LOCK, merge.pk])
                merge.refresh_from_db()
                if merge.is_finished:
                    return merge
                merge.state = SiteMerge.State.RUNNING
                merge.started_at = timezone.now()
                merge.save(update_fields=["state", "started_at"])
            report(_("Bắt đầu"))
            result = _merge(merge, report, written)
            with schema_context(public):
                merge.state = SiteMerge.State.DONE
                merge.finished_at = timezone.now()
                merge.result = result
                merge.progress = _("Hoàn tất")
                merge.save(update_fields=["state", "finished_at", "result", "progress"])
    except Exception as exc:
        _delete_files(written)
        with schema_context(public):
            SiteMerge.objects.filter(pk=merge.pk).update(
                state=SiteMerge.State.FAILED,
                finished_at=timezone.now(),
                error=str(exc) or exc.__class__.__name__,
                progress=_("Thất bại; không có gì thay đổi"),
            )
            cache.delete(PROGRESS_KEY % merge.pk)
        merge.refresh_from_db()
        if not isinstance(exc, LifecycleError):
            raise
        return merge
    with schema_context(public):
        cache.delete(PROGRESS_KEY % merge.pk)
    return merge


def _merge(merge: SiteMerge, report: Callable[[str], None], written: list) -> dict:
    from component_sites.core.transfer import ContentTransfer

    public = get_public_schema_name()
    with schema_context(public):
        survivor = Tenant.objects.select_for_update().get(pk=merge.survivor_id)
        absorbed = list(merge.absorbed.select_for_update().order_by("code"))
        # Again at run time: the registry may have changed since the request.
        validate_merge(survivor, absorbed, running=merge)
    results: dict = {}
    for number, site in enumerate(absorbed, start=1):
        prefix = f"[{number}/{len(absorbed)}] {site.name}"
        report(prefix)
        transfer = ContentTransfer(
            site.schema_name,
            survivor.schema_name,
            branch_title=site.name,
            branch_slug=ascii_slug(site.name),
            progress=lambda message, prefix=prefix: report(f"{prefix}: {message}"),
        )
        try:
            outcome = transfer.run()
        finally:
            written.extend((survivor.schema_name, name) for name in transfer.written_files)
        with schema_context(public):
            before = snapshot(site)
            MovedPath.objects.bulk_create(
                [
                    MovedPath(source=site, old_path=old[:1024], new_path=new[:1024])
                    for old, new in dict(outcome.moved_paths).items()
                ],
                ignore_conflicts=True,
            )
            Domain.objects.filter(tenant=site).update(
                tenant=survivor,
                is_primary=False,
                merged_from=site,
                path_prefix=outcome.branch_path,
            )
            site.children.update(parent=survivor)
            site.status = Tenant.Status.ARCHIVED
            site.merged_into = survivor
            site.status_notice = _("Đã sáp nhập vào %(name)s ngày %(date)s.") % {
                "name": survivor.name,
                "date": timezone.localdate().strftime("%d/%m/%Y"),
            }
            site.save(update_fields=["status", "merged_into", "status_notice", "updated_at"])
            audit(
                site,
                "tenants.merge",
                merge.requested_by,
                before,
                survivor=survivor.name,
                moved=outcome.as_dict(),
            )
        results[site.code] = outcome.as_dict()
    with schema_context(public):
        before = snapshot(survivor)
        audit(
            survivor,
            "tenants.merge",
            merge.requested_by,
            before,
            absorbed=[site.name for site in absorbed],
        )
    return results


def _delete_files(written: list[tuple[str, str]]) -> None:
    for schema, name in written:
        with schema_context(schema), contextlib.suppress(OSError):
            default_storage.delete(name)


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
