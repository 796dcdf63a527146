"""Merging sites: what the 2025 reform did to thousands of communes.

The content of each absorbed site moves into the surviving site's own sections, kind by
kind (news into its news under a category named after the former unit, documents into
its documents, questions into its Hỏi – đáp, media into its library, the introduction and
organisation under “Đơn vị cũ”; procedures are not copied: see
``tenants.merging.transfer``).  The absorbed site's domains become legacy domains of
the survivor: every old URL answers 301 to where its content now is (an exact
``MovedPath`` per page and file).  The absorbed site is archived: its schema is kept,
read-only, for reference and receives no more syndication; its child sites move to the
survivor (to the survivor's province when the survivor is a commune).

The 2025 reform is a merge too: sites of the three-level model (a former district, its
communes) merge into a commune of the two-level model that took over their area.

``request_merge`` validates and queues the work (a merge copies files and can take
minutes, and a web request never reads other sites' schemas); ``perform_merge`` does it
in one transaction, from the worker or the ``merge_sites`` command.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.text import ascii_slug
from tenants import jobs, routing_cache
from tenants.lifecycle import LifecycleError, audit, on_public_schema, snapshot
from tenants.models import Domain, MovedPath, SiteMerge, Tenant

from .transfer import ContentTransfer


def is_reform_merge(survivor: Tenant, site: Tenant) -> bool:
    """A former (three-level) district or commune into a commune of the two-level model."""
    return (
        survivor.level == Tenant.Level.COMMUNE
        and survivor.unit_model == "two-level"
        and site.unit_model == "three-level"
        and site.level in (Tenant.Level.DISTRICT, Tenant.Level.COMMUNE)
    )


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
        if site.level != survivor.level and not is_reform_merge(survivor, site):
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

    jobs.enqueue_on_commit(merge)
    return merge


def merge_progress(merge: SiteMerge) -> str:
    """The last progress message of a merge (written by the worker's lease, outside the
    merge's own transaction, so it is visible while the merge runs)."""
    with schema_context(get_public_schema_name()):
        return SiteMerge.objects.filter(pk=merge.pk).values_list("progress", flat=True).first()


def perform_merge(merge: SiteMerge, progress: Callable[[str], None] | None = None) -> SiteMerge:
    """Do the merge in one transaction; on failure nothing changes and the error is kept.

    Runs under the job lease of ``tenants.jobs``: a duplicate delivery of the task waits
    its turn and finds the merge finished; a worker killed mid-merge leaves nothing in
    the database (the transaction rolls back), the files it copied are deleted by the
    next attempt or the sweep, and the merge starts over or is offered for retry.
    A failure other than a refusal is raised again after it is recorded.
    """

    def work(lease: jobs.Lease) -> dict:
        def report(message: str) -> None:
            lease.report(message)
            if progress:
                progress(message)

        report(_("Bắt đầu"))
        return {"result": _merge(merge, report, lease)}

    def finish(fields: dict) -> None:
        for name, value in fields.items():
            setattr(merge, name, value)
        merge.save(update_fields=list(fields))

    merge = jobs.run_job(merge, work, finish=finish)
    exc = getattr(merge, "_exception", None)
    if exc is not None and not isinstance(exc, LifecycleError | jobs.JobCancelled):
        raise exc
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


def _merge(merge: SiteMerge, report: Callable[[str], None], lease: jobs.Lease) -> dict:
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
            on_file_written=lambda name: lease.wrote(survivor.schema_name, name),
        )
        outcome = transfer.run()
        with schema_context(public):
            before = snapshot(site)
            MovedPath.objects.bulk_create(
                [
                    MovedPath(source=site, old_path=old[:1024], new_path=new[:1024])
                    for old, new in dict(outcome.moved_paths).items()
                ],
                ignore_conflicts=True,
            )
            routing_cache.forget(
                Domain.objects.filter(tenant=site).values_list("domain", flat=True)
            )
            Domain.objects.filter(tenant=site).update(
                tenant=survivor,
                is_primary=False,
                merged_from=site,
                # Pages and files have exact entries; any other path is tried as is.
                path_prefix="",
            )
            # A commune has no child sites: a district's go to the survivor's province.
            site.children.update(
                parent=survivor if survivor.level != Tenant.Level.COMMUNE else survivor.parent
            )
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
