"""Views of every site outside the Wagtail page tree: uploaded files."""

import posixpath
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils._os import safe_join
from wagtail.documents import get_document_model
from wagtail.documents.views import serve as wagtail_serve

from . import uploads

# The folders of a site's storage that /media/ serves: Wagtail's originals and renditions.
# Documents go through the document view (collection privacy); private/ holds citizens'
# files, which staff download in the admin.
IMAGE_FOLDERS = ("original_images/", "images/")


def serve_document(request, document_id, document_filename):
    """The one view that serves a document: Wagtail's, with privacy, as a download.

    Wagtail's view applies the collection's view restrictions (``before_serve_document``
    hooks: login or password) and sends ``nosniff``; every answer also gets the sandboxing
    CSP, and anything but a raster image is an attachment.
    """
    response = wagtail_serve.serve(request, document_id, document_filename)
    # The file itself (or "not modified"); the login redirect and password form are pages.
    if response.streaming or response.status_code == 304:
        uploads.harden(response, inline_image=True)
    return response


def site_media(request, path: str):
    """Serve an uploaded image of the current site only (development and small installs).

    Files live under MEDIA_ROOT/<schema>/; a path naming another site's folder is a 404,
    so one site's domain can never be used to read another site's uploads.  A document's
    file is never sent from here: its address leads to the document view, which checks the
    collection's privacy.  Production serves images from object storage or the web server
    (docs/deployment.md: the same rules).
    """
    path = posixpath.normpath(path).lstrip("/")
    schema, _, rest = path.partition("/")
    if schema != connection.schema_name or not rest or rest.startswith(".."):
        raise Http404("Không tìm thấy tệp")
    if rest.startswith("documents/"):
        document = get_document_model().objects.filter(file=rest).only("pk", "file").first()
        if document is None:
            raise Http404("Không tìm thấy tệp")
        return redirect(document.url)
    if not rest.startswith(IMAGE_FOLDERS):
        raise Http404("Không tìm thấy tệp")
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, schema, rest))
    except Exception as exc:
        raise Http404("Không tìm thấy tệp") from exc
    if not full.is_file():
        raise Http404("Không tìm thấy tệp")
    content_type = uploads.INLINE_IMAGE_EXTENSIONS.get(uploads.extension_of(rest))
    response = FileResponse(
        full.open("rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
    )
    if rest.startswith("images/"):
        # A Wagtail rendition's name carries its filter and the focal point's hash: a
        # change makes a new file, so the old name can be cached for good.
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=86400"
    return uploads.harden(response, inline_image=True)
