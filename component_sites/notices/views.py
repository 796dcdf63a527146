"""The public page of one urgent notice: what the banner's "Xem chi tiết" opens."""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from .models import UrgentNotice


def urgent_notice_detail(request, pk: int):
    """The whole alert (level, message, validity, related page); 404 before it starts."""
    notice = UrgentNotice.objects.select_related("link_page").filter(pk=pk).first()
    now = timezone.now()
    if notice is None or notice.starts_at > now:
        raise Http404("Không có thông báo khẩn này.")
    related = notice.link_page if notice.link_page and notice.link_page.live else None
    return TemplateResponse(
        request,
        "notices/urgent_notice_detail.html",
        {
            "notice": notice,
            "related": related,
            "active": notice.is_active(now),
            "title": notice.title,
        },
    )
