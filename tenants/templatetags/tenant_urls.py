"""Template helpers for links between sites (same scheme and port as the request)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def site_url(context, tenant, path="/"):
    """Absolute URL of ``path`` on ``tenant``'s primary domain, keeping the request's port."""
    request = context.get("request")
    host = tenant.primary_domain if tenant else None
    if not host:
        return ""
    if request is None:
        return f"https://{host}{path}"
    from tenants.middleware import netloc_for

    return f"{request.scheme}://{netloc_for(request, host)}{path}"
