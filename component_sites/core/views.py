"""Views of every site outside the Wagtail page tree."""

import posixpath
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404
from django.utils._os import safe_join


def site_media(request, path: str):
    """Serve an uploaded file of the current site only (development and small installs).

    Files live under MEDIA_ROOT/<schema>/; a path naming another site's folder is a 404,
    so one site's domain can never be used to read another site's uploads.
    Production serves media from object storage or the web server instead.
    """
    path = posixpath.normpath(path).lstrip("/")
    schema, _, rest = path.partition("/")
    if schema != connection.schema_name or not rest or rest.startswith(".."):
        raise Http404("Không tìm thấy tệp")
    if rest.startswith("private/"):
        # Citizens' files (attachments to questions): staff download them in the admin.
        raise Http404("Không tìm thấy tệp")
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, schema, rest))
    except Exception as exc:
        raise Http404("Không tìm thấy tệp") from exc
    if not full.is_file():
        raise Http404("Không tìm thấy tệp")
    response = FileResponse(full.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
