"""The site's own stylesheet: its colours and header banner (no inline styles on pages)."""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.views.decorators.http import require_GET
from wagtail.images.models import SourceImageIOError

from themes.colours import HEX_RE

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


@require_GET
def site_stylesheet(request):
    from themes.templatetags.theme_tags import branding_for

    css = branding_css(branding_for(request))
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    # Pages link it with ?v=<digest of its content>: a new colour is a new address.
    if request.GET.get("v") == css_version(css):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=300"
    return response
