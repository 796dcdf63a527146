"""Pagination that never fails on a bad page number (a message instead of a 404 or 500)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _


def paginate(request, items, per_page):
    """The requested page of ``items`` and a message when the page number was unusable."""
    paginator = Paginator(items, per_page)
    raw = request.GET.get("page", "1")
    message = ""
    try:
        page = paginator.page(raw)
    except PageNotAnInteger:
        page = paginator.page(1)
        message = _("Số trang “%(page)s” không hợp lệ; đang hiển thị trang đầu.") % {
            "page": raw[:20]
        }
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
        message = _("Không có trang %(page)s; đang hiển thị trang cuối.") % {"page": raw[:20]}
    return page, message
