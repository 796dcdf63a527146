"""Building the demo province: sites with content, and the 2025 reform as a merge.

Used by ``seed_demo`` (and its tests); the choice of units is in ``tenants.demo``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from component_sites.core.demo import build_demo_content

from .deferred_indexing import indexing_deferred, reindex_schema
from .demo import ReformDemo
from .merging import merge_now
from .models import SiteMerge, Tenant
from .provisioning import ProvisioningError, provision_site
from .specs import SiteSpec


def provision_demo_sites(
    specs: Sequence[SiteSpec], password: str, report: Callable[[str], None]
) -> list[tuple[str, str]]:
    """Create each missing site with its admin and demo content; returns the failures.

    Every demo admin has the same password: it is hashed once (PBKDF2 costs about 1.4 s)
    and the hash given to each site's admin.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django_tenants.utils import schema_context

    failures = []
    hashed = None
    for index, spec in enumerate(specs, start=1):
        if Tenant.objects.filter(code=spec.code).exists():
            report(f"[{index}/{len(specs)}] {spec.name}: đã có, bỏ qua")
            continue
        spec.admin_username = "quantri"
        spec.admin_password = ""  # set below, from the one hash
        spec.admin_email = f"quantri@{spec.domain}"
        try:
            tenant = provision_site(spec, send_invitation=False).tenant
        except ProvisioningError as exc:
            failures.append((spec.name, str(exc)))
            report(f"[{index}/{len(specs)}] {spec.name}: LỖI {exc}")
            continue
        hashed = hashed or make_password(password)
        with schema_context(tenant.schema_name):
            get_user_model().objects.filter(username="quantri").update(password=hashed)
        with indexing_deferred():
            made = build_demo_content(tenant)
        reindex_schema(tenant.schema_name)
        summary = ", ".join(f"{number} {kind}" for kind, number in sorted(made.items()))
        report(
            f"[{index}/{len(specs)}] {spec.name}: đã tạo ({spec.domain})"
            + (f"; nội dung mẫu: {summary}" if summary else "")
        )
    return failures


def build_reform(
    reform: ReformDemo, password: str, user, report: Callable[[str], None]
) -> SiteMerge | None:
    """The former portals, as they stood, merged into the new commune (once).

    Returns the merge, or None when there was nothing left to merge.
    """
    pending = [
        spec
        for spec in reform.former
        if not Tenant.objects.filter(code=spec.code, merged_into__isnull=False).exists()
    ]
    failures = provision_demo_sites(pending, password, report)
    if failures:
        raise ProvisioningError([f"{name}: {error}" for name, error in failures])
    survivor = Tenant.objects.get(code=reform.into)
    absorbed = list(
        Tenant.objects.filter(
            code__in=[spec.code for spec in reform.former], merged_into__isnull=True
        )
    )
    if not absorbed:
        return None
    report(f"Sáp nhập (năm 2025) {', '.join(site.name for site in absorbed)} → {survivor.name}…")
    with indexing_deferred():
        merge = merge_now(survivor, absorbed, user=user)
    reindex_schema(survivor.schema_name)
    if merge.state == SiteMerge.State.DONE:
        for code, outcome in merge.result.items():
            report(
                f"  {code}: {outcome['pages']} trang, {outcome['images']} ảnh, "
                f"{outcome['documents']} tệp → {outcome['branch_path']}"
            )
    return merge
