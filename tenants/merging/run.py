"""Carrying out a queued merge: the content of each absorbed site, then the registry.

Per absorbed site, in one transaction: its content moves into the survivor
(``ContentTransfer``), its old addresses are recorded (``MovedPath``), its domains become
the survivor's legacy domains, its child sites move, it is archived, and both sites'
audit trails say so.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.text import ascii_slug
from tenants import jobs, routing_cache
from tenants.lifecycle import LifecycleError, audit, snapshot
from tenants.models import Domain, MovedPath, SiteMerge, Tenant

from .transfer import ContentTransfer
from .validation import validate_merge


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
