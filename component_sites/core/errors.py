"""The 404 page of a site: its own header, menu and search, not a bare notice.

Used as ``handler404`` of the member sites' URLconf; the control plane and unknown hosts
keep the plain notice (``404.html``).  If the site's chrome cannot be drawn (its database
is unreachable, say), the plain notice is served instead: a 404 never turns into a 500.
"""

from __future__ import annotations

import logging

from django.http import HttpResponseNotFound
from django.template import loader

logger = logging.getLogger("portal.errors")


def page_not_found(request, exception=None):
    context = {"request_path": request.path, "title": "Không tìm thấy trang"}
    try:
        body = loader.render_to_string("core/page_not_found.html", context, request)
    except Exception:  # noqa: BLE001 - the plain page below needs nothing from the site
        logger.exception("404 page with the site's chrome failed; plain page served")
        body = loader.render_to_string("404.html", context, request)
    return HttpResponseNotFound(body)
