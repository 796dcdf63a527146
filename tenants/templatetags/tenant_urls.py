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


def _audit_value(value, key: str = "") -> str:
    """A stored value in words: status and theme by their Vietnamese labels."""
    if isinstance(value, list):
        return ", ".join(value) or "—"
    if key == "status" and value:
        from tenants.models import Tenant

        return str(dict(Tenant.Status.choices).get(value, value))
    if key == "theme" and value:
        from themes.registry import theme_choices

        return str(dict(theme_choices()).get(value, value))
    return value or "—"


# Entries whose snapshot is not a change of the site (it would list every field as new).
NO_CHANGES = {"tenants.support_login", "tenants.reset_2fa"}


@register.filter
def audit_changes(data, action: str = ""):
    """``[(label, before, after)]`` of the fields an audit entry changed."""
    if not isinstance(data, dict) or action in NO_CHANGES:
        return []
    before = data.get("before") or {}
    after = data.get("after") or {}
    rows = []
    for key, label in AUDIT_FIELD_LABELS.items():
        old, new = before.get(key), after.get(key)
        # None, "" and [] all mean "nothing": "— → —" is not a change.
        if old != new and (old or new):
            rows.append((label, _audit_value(old, key) if before else "—", _audit_value(new, key)))
    return rows
