"""The theme and branding of the current site, for the base template."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

from themes.head_script import HEAD_SCRIPT
from themes.models import SiteBranding, default_body_name
from themes.registry import get_theme
from themes.views import branding_css, css_version

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
    """The theme's stylesheet, then the site's own colours and banner (``/giao-dien.css``)."""
    request = context.get("request")
    theme = get_theme(getattr(getattr(request, "tenant", None), "theme", None))
    html = format_html('<link rel="stylesheet" href="{}">', static(theme.stylesheet))
    css = branding_css(branding_for(request))
    if css:
        html += format_html(
            '<link rel="stylesheet" href="{}?v={}">', reverse("site_stylesheet"), css_version(css)
        )
    return html


@register.simple_tag
def head_script() -> str:
    """The inline script the Content-Security-Policy allows by its hash (themes.head_script)."""
    # A constant of the platform's own (never user input): marked safe as it is, so that its
    # bytes are exactly those the policy's hash allows.
    return mark_safe(f"<script>{HEAD_SCRIPT}</script>")  # noqa: S308


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
