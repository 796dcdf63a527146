"""The theme and branding of the current site, for the base template."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail.models import Site

from themes.colours import HEX_RE
from themes.models import SiteBranding, default_body_name
from themes.registry import get_theme

register = template.Library()

# Attributes under which page types keep the picture that stands for them.
IMAGE_ATTRIBUTES = ("featured_image", "cover_image", "cover", "image", "photo", "map_image")


def branding_for(request) -> SiteBranding:
    """The site's branding (one query per request), or defaults where it has none."""
    if request is None:
        return SiteBranding()
    cached = getattr(request, "_site_branding", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if getattr(request, "tenant", None) else None
    branding = None
    if site is not None:
        branding = SiteBranding.objects.filter(site=site).select_related("logo").first()
    if branding is None:
        branding = SiteBranding()
    tenant = getattr(request, "tenant", None)
    if not branding.body_name and getattr(tenant, "name", ""):
        branding.body_name = default_body_name(tenant.name)
    request._site_branding = branding
    return branding


@register.simple_tag(takes_context=True)
def site_branding(context) -> SiteBranding:
    return branding_for(context.get("request"))


@register.simple_tag(takes_context=True)
def theme_head(context) -> str:
    """The theme's stylesheet and the site's own colours as CSS custom properties."""
    request = context.get("request")
    theme = get_theme(getattr(getattr(request, "tenant", None), "theme", None))
    branding = branding_for(request)
    html = format_html('<link rel="stylesheet" href="{}">', static(theme.stylesheet))
    overrides = []
    if branding.primary_colour and HEX_RE.match(branding.primary_colour):
        overrides.append(
            f"--brand:{branding.primary_colour};--brand-dark:{branding.primary_colour}"
        )
    if branding.accent_colour and HEX_RE.match(branding.accent_colour):
        overrides.append(f"--accent:{branding.accent_colour}")
    if overrides:
        # Values are validated hex colours, so nothing else can reach the stylesheet.
        html += format_html("<style>:root{{{}}}</style>", ";".join(overrides))
    return html


@register.simple_tag
def page_image(page):
    """The image a page is best shown by (for Open Graph and teasers), or None."""
    if page is None:
        return None
    specific = getattr(page, "specific", page)
    for name in IMAGE_ATTRIBUTES:
        image = getattr(specific, name, None)
        if image is not None and hasattr(image, "get_rendition"):
            return image
    return None
