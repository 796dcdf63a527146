"""Refuse requests whose text cannot be stored or searched: NUL bytes, broken UTF-8.

PostgreSQL refuses a NUL byte in any text value (``ValueError: A string literal cannot
contain NUL``) and Django silently replaces undecodable bytes with U+FFFD, so a query value
or a form field holding either is never a real visitor's input.  Such a request is answered
here, before routing and before any view, with a 400: a Vietnamese page, or a JSON body
with a Vietnamese message under ``/api/``.  Nothing is read from or written to the database.

Checked: the path, every query-string value and name (raw, before Django decodes them),
the body of urlencoded forms (raw) and every field and file name of multipart forms.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

API_PREFIX = "/api/"
BROKEN_PATH_BYTE = re.compile(r"%[89A-Fa-f][0-9A-Fa-f]")

MESSAGE_QUERY = (
    "Địa chỉ yêu cầu chứa ký tự không hợp lệ (ký tự rỗng hoặc mã hóa sai). "
    "Vui lòng kiểm tra lại từ khóa hoặc đường dẫn."
)
MESSAGE_FORM = (
    "Nội dung gửi lên chứa ký tự không hợp lệ (ký tự rỗng hoặc mã hóa sai). "
    "Vui lòng xóa ký tự đó rồi gửi lại; chưa có gì được lưu."
)


def _bad_bytes(raw: bytes) -> bool:
    """True when percent-decoded ``raw`` holds a NUL or is not valid UTF-8."""
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in decoded:
        return True
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _bad_text(value: str) -> bool:
    # Django decodes form fields with errors="replace": U+FFFD marks broken UTF-8 only when
    # the raw body did not hold it already (checked on the raw body for urlencoded forms).
    return "\x00" in value


def refusal(request, message: str) -> HttpResponse:
    """A 400 in Vietnamese: JSON under /api/, the notice page elsewhere."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"error": message, "status": 400},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        body = render_to_string("400.html", {"message": message})
        response = HttpResponse(body, status=400, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def hostile_reason(request) -> str | None:
    """The message to refuse ``request`` with, or None when its text is usable."""
    if "\x00" in request.path:
        return MESSAGE_QUERY
    # Django decodes the path as UTF-8 and writes the bytes that are not UTF-8 back as
    # percent-escapes of bytes 0x80-0xFF (valid non-ASCII letters come out decoded): such an
    # escape left in the decoded path is broken UTF-8 (or a literal '%', which no page has).
    if BROKEN_PATH_BYTE.search(request.path):
        return MESSAGE_QUERY
    query = request.META.get("QUERY_STRING", "")
    if query:
        try:
            raw_query = query.encode("latin-1")
        except UnicodeEncodeError:
            raw_query = query.encode("utf-8", "surrogateescape")
        if _bad_bytes(raw_query):
            return MESSAGE_QUERY
    if request.method in ("POST", "PUT", "PATCH"):
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            if _bad_bytes(request.body):
                return MESSAGE_FORM
        elif content_type.startswith("multipart/form-data"):
            fields = request.POST
            if any(
                _bad_text(key) or _bad_text(value)
                for key in fields
                for value in fields.getlist(key)
            ):
                return MESSAGE_FORM
            for name in request.FILES:
                if _bad_text(name) or any(
                    _bad_text(upload.name or "") for upload in request.FILES.getlist(name)
                ):
                    return MESSAGE_FORM
    return None


class HostileInputMiddleware:
    """Answer 400 (Vietnamese) to a request holding NUL bytes or broken UTF-8."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = hostile_reason(request)
        if reason:
            return refusal(request, reason)
        return self.get_response(request)
