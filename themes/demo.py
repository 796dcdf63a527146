"""Demo branding: the footer of every demo site names its body, address and contacts."""

from __future__ import annotations

from component_sites.core.demo import DemoContext


def build(context: DemoContext) -> None:
    from wagtail.models import Site

    from .models import SiteBranding, default_body_name

    tenant = context.tenant
    branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
    body = branding.body_name or default_body_name(tenant.name)
    place = ", ".join(unit.name for unit in _ancestors(tenant))
    branding.body_name = body
    branding.responsible_person = "Chủ tịch " + body
    branding.address = f"Trụ sở {body}{', ' + place if place else ''}"
    branding.phone = f"0218 3{context.rng.randrange(100000, 999999)}"
    branding.email = f"vanphong@{tenant.primary_domain}"
    level_body = (
        "UBND tỉnh" if tenant.level == "province" else body.replace("Ủy ban nhân dân", "UBND")
    )
    branding.licence = (
        f"Cổng thông tin điện tử thành lập theo quyết định của {level_body} (dữ liệu minh hoạ)."
    )
    # Illustrative addresses of the site's fanpage and Zalo OA (the demo has no real ones).
    label = tenant.primary_domain.split(".")[0].replace("-", "")
    branding.facebook_url = f"https://www.facebook.com/{label}.gov.vn"
    branding.zalo_url = f"https://zalo.me/{label}"
    branding.save()
    context.count("branding")


def _ancestors(tenant):
    node = tenant.parent
    while node is not None:
        yield node
        node = node.parent
