"""The theme and branding of the current site, for the base template."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from themes.branding import branding_css, branding_for, css_version
from themes.head_script import HEAD_SCRIPT
from themes.models import SiteBranding
from themes.registry import get_theme

register = template.Library()

# Attributes under which page types keep the picture that stands for them.
IMAGE_ATTRIBUTES = ("featured_image", "cover_image", "cover", "image", "photo", "map_image")


@register.simple_tag(takes_context=True)
def site_branding(context) -> SiteBranding:
    return branding_for(context.get("request"))


@register.simple_tag(takes_context=True)
def theme_key(context) -> str:
    """The site's theme, for ``<html data-theme>`` (its tokens are in ``portal.css``)."""
    request = context.get("request")
    return get_theme(getattr(getattr(request, "tenant", None), "theme", None)).key


@register.simple_tag(takes_context=True)
def theme_head(context) -> str:
    """The site's own colours and banner (``/giao-dien.css``), when it has set any."""
    css = branding_css(branding_for(context.get("request")))
    if not css:
        return ""
    return format_html(
        '<link rel="stylesheet" href="{}?v={}">', reverse("site_stylesheet"), css_version(css)
    )


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


OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


@register.inclusion_tag("meta/page_meta.html", takes_context=True)
def page_meta(context, title=None, description=None, og_type="website", language="vi"):
    """Description, canonical, Dublin Core and Open Graph tags of the page being shown.

    Every page type gets all of them: a template that needs other values (an article's
    type, a procedure's name) calls the tag with them instead of writing its own tags.
    Absolute URLs are on the site's public origin (``component_sites.core.origin``).
    """
    from component_sites.core.origin import absolute_url

    request = context.get("request")
    page = context.get("page")
    branding = branding_for(request)
    tenant = getattr(request, "tenant", None)
    site_name = getattr(tenant, "name", "") or branding.body_name
    if not title:
        title = (page.seo_title or page.title) if page is not None else site_name
    if not description and page is not None and hasattr(page, "meta_description"):
        description = page.meta_description()
    if not description:
        description = f"{title} – Cổng thông tin điện tử {branding.body_name or site_name}."
    if request is not None:
        url = absolute_url(escape_uri_path(request.path), request)
    else:
        url = page.full_url if page is not None else ""
    image = page_image(page)
    image_url = ""
    if image is not None:
        image_url = absolute_url(image.get_rendition("fill-1200x630").url, request)
    return {
        "title": title,
        "description": description,
        "url": url,
        "site_name": site_name,
        "publisher": branding.body_name or site_name,
        "og_type": og_type,
        "language": language,
        "og_locale": OG_LOCALES.get(language, "vi_VN"),
        "date": getattr(page, "last_published_at", None),
        "image": image,
        "image_url": image_url,
    }
