"""Serving a procedure's forms on a site (the files live in the master catalogue's storage)."""

from django.http import FileResponse, Http404

from tenants.procedures.models import forms_storage


def serve_form(copy, form_id: int) -> FileResponse:
    """Stream the form ``form_id`` of ``copy``, as recorded in the site's copy.

    Only forms listed in the copy (the version this site received) can be fetched; the
    file itself is shared by every site and read from the catalogue's storage.
    """
    entry = next((f for f in copy.forms if f.get("id") == form_id), None)
    if entry is None:
        raise Http404("Không có biểu mẫu này")
    storage = forms_storage()
    if not storage.exists(entry["path"]):
        raise Http404("Tệp biểu mẫu không còn")
    return FileResponse(
        storage.open(entry["path"], "rb"), as_attachment=True, filename=entry["filename"]
    )
