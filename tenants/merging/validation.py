"""Whether a merge can be done: the same level and province, or the 2025 reform."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext as _

from tenants.lifecycle import LifecycleError
from tenants.models import SiteMerge, Tenant


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
