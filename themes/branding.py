"""A site's branding for a request, and the stylesheet that carries its colours and banner."""

from __future__ import annotations

import hashlib

from wagtail.images.models import SourceImageIOError
from wagtail.models import Site

from component_sites.core import site_cache
from themes.colours import HEX_RE
from themes.models import SiteBranding, default_body_name

BANNER_SPEC = "fill-1600x320"


def branding_css(branding) -> str:
    """CSS custom properties for the site's validated colours and banner ('' when none)."""
    overrides = []
    if branding.primary_colour and HEX_RE.match(branding.primary_colour):
        overrides.append(
            f"--brand:{branding.primary_colour};--brand-dark:{branding.primary_colour}"
        )
    if branding.accent_colour and HEX_RE.match(branding.accent_colour):
        overrides.append(f"--accent:{branding.accent_colour}")
    rules = [f":root{{{';'.join(overrides)}}}"] if overrides else []
    banner = banner_url(branding)
    if banner:
        # A rendition URL is made by Wagtail from the file name and the filter: no quote or
        # parenthesis can reach it, and it is quoted besides.
        rules.append(f'.site-header--banner{{--banner:url("{banner}")}}')
    return "\n".join(rules)


def banner_url(branding) -> str:
    if not getattr(branding, "banner_image_id", None):
        return ""
    try:
        return branding.banner_image.get_rendition(BANNER_SPEC).url
    except (SourceImageIOError, OSError, ValueError):
        return ""


def css_version(css: str) -> str:
    return hashlib.sha256(css.encode()).hexdigest()[:12]


def branding_for(request) -> SiteBranding:
    """The site's branding (from the site cache: read once until it changes), or defaults."""
    if request is None:
        return SiteBranding()
    cached = getattr(request, "_site_branding", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if getattr(request, "tenant", None) else None
    branding = None
    if site is not None:
        branding = site_cache.get(
            f"branding:{site.pk}",
            lambda: (
                SiteBranding.objects.filter(site=site)
                .select_related("logo", "banner_image")
                .first()
            ),
            shared=True,
        )
    if branding is None:
        branding = SiteBranding()
    tenant = getattr(request, "tenant", None)
    if not branding.body_name and getattr(tenant, "name", ""):
        branding.body_name = default_body_name(tenant.name)
    request._site_branding = branding
    return branding
