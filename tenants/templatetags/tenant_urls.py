"""Template helpers for links between sites (on each site's public origin)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def site_url(context, tenant, path="/"):
    """Absolute URL of ``path`` on ``tenant``'s primary domain (``PUBLIC_URL_*`` settings)."""
    from component_sites.core.origin import origin_for_host

    host = tenant.primary_domain if tenant else None
    if not host:
        return ""
    return f"{origin_for_host(host)}{path}"


AUDIT_FIELD_LABELS = {
    "name": "tên",
    "status": "trạng thái",
    "status_notice": "thông báo",
    "primary_domain": "tên miền chính",
    "aliases": "tên miền phụ",
    "theme": "giao diện",
}


def _audit_value(value) -> str:
    return ", ".join(value) if isinstance(value, list) else (value or "—")


@register.filter
def audit_changes(data):
    """``[(label, before, after)]`` of the fields an audit entry changed."""
    if not isinstance(data, dict):
        return []
    before = data.get("before") or {}
    after = data.get("after") or {}
    rows = []
    for key, label in AUDIT_FIELD_LABELS.items():
        old, new = before.get(key), after.get(key)
        if old != new:
            rows.append((label, _audit_value(old) if before else "—", _audit_value(new)))
    return rows
