"""What the procedure catalogue gives the province's scoring: the share of the procedures a
site should hold whose local copy is at the master's latest version.

The masters are read from public, the copies from the site's schema (the current one).
"""

from __future__ import annotations

from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.figures import (
    Figure,
    Scope,
    item,
    page_url,
    register,
    share,
    site_home,
)
from component_sites.procedures.models import ProcedureCopy, ProcedureIndexPage

from .models import Procedure
from .syndication import procedures_for_tenant


def procedures_current(scope: Scope) -> Figure:
    """Share of the procedures the site should hold whose local copy is the latest version.

    The site should hold every *active* master record ``procedures_for_tenant`` gives it
    (the province-wide procedures of its level plus the own procedures of its ancestors,
    and its own); withdrawn masters are left out.  A copy at the master's current version
    is up to date; an older copy or no copy is not.
    """
    with schema_context(get_public_schema_name()):
        masters = list(
            procedures_for_tenant(scope.tenant)
            .filter(status=Procedure.Status.ACTIVE)
            .order_by("code")
            .values_list("code", "name", "version")
        )
    if not masters:
        return Figure(
            None,
            denominator=0,
            note="Danh mục của tỉnh không có thủ tục nào áp dụng cho trang này.",
        )
    held = {
        code: (version, synced_at)
        for code, version, synced_at in ProcedureCopy.objects.filter(
            code__in=[code for code, _name, _version in masters]
        ).values_list("code", "version", "synced_at")
    }
    home = site_home()
    index = (
        ProcedureIndexPage.objects.child_of(home).live().only("url_path").first() if home else None
    )
    items = []
    for code, name, version in masters:
        local, synced_at = held.get(code, (None, None))
        current = local is not None and local >= version
        if local is None:
            detail = f"Chưa có trên trang; phiên bản mới nhất {version}"
        else:
            detail = f"Phiên bản trên trang {local}; mới nhất {version}"
        url = ""
        if index is not None and local is not None:
            url = page_url(scope, home, index.url_path) + code.replace(".", "-") + "/"
        items.append(item(f"{code} – {name}", url, synced_at, detail, counted=current))
    numerator = sum(1 for i in items if i["counted"])
    return Figure(share(numerator, len(items)), numerator, len(items), items=items)


register("procedures_current", "Thủ tục hành chính đúng phiên bản mới nhất", procedures_current)
