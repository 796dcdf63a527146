"""An archived site reads only: its citizen forms give way to a notice.

The tenant middleware answers 403 to any POST on an archived site; showing the form first
would let a citizen type a question or a comment only to lose it. The views below show
``participation/archived_notice.html`` instead (status 200: the page itself exists).
"""

from __future__ import annotations

import functools

from django.http import HttpRequest
from django.template.response import TemplateResponse

ARCHIVED_MESSAGE = (
    "Trang thông tin này đã được lưu trữ: nội dung chỉ để tra cứu, không nhận câu hỏi, "
    "phản ánh, góp ý hay đánh giá mới."
)


def is_archived(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return getattr(tenant, "status", None) == "archived"


def closed_when_archived(title: str):
    """Decorate a citizen form view (``(request, …)`` or ``(page, request, …)``)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            request = next(a for a in args if isinstance(a, HttpRequest))
            if not is_archived(request):
                return view(*args, **kwargs)
            page = args[0] if args[0] is not request else None
            return TemplateResponse(
                request,
                "participation/archived_notice.html",
                {
                    "title": title,
                    "message": ARCHIVED_MESSAGE,
                    "page": page,
                    "self": page,
                    "status_notice": getattr(request.tenant, "status_notice", ""),
                },
            )

        return wrapper

    return decorate
