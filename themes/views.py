"""The site's own stylesheet: its colours and header banner (no inline styles on pages)."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from themes.branding import branding_css, branding_for, css_version


@require_GET
def site_stylesheet(request):
    css = branding_css(branding_for(request))
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    # Pages link it with ?v=<digest of its content>: a new colour is a new address.
    if request.GET.get("v") == css_version(css):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=300"
    return response
