"""The review rule: articles are published by the workflow, never by a plain "Xuất bản".

Which pages: those of a type in ``EDITORIAL_REVIEWED_PAGE_TYPES`` (default: articles)
that sit under an active workflow (the news section carries "Duyệt tin bài").  For them,
whoever the user is (head of the board, site admin, superuser of the site), the edit and
create screens offer no "Xuất bản", a posted publish is refused before anything is
saved, the bulk "Publish" and "publish the copies" refuse them, and only the workflow's
last approval publishes (Wagtail's ``publish_workflow_state``).

The one way around it, where the site's rules allow one: page types listed in
``EDITORIAL_BYPASS_PAGE_TYPES`` (none by default; an urgent-notice type is the example)
may be published at once by a site admin or superuser who writes down why; the action
cancels the workflow in progress and is recorded in Wagtail's audit log
(``editorial.publish_bypass``, with the reason).
"""

from __future__ import annotations

from django.conf import settings

from .roles import SITE_ADMIN

DEFAULT_REVIEWED_PAGE_TYPES = ("news.articlepage",)
DEFAULT_BYPASS_PAGE_TYPES: tuple[str, ...] = ()

BYPASS_ACTION = "editorial.publish_bypass"

REFUSED = (
    "Bài viết phải qua quy trình duyệt “Duyệt tin bài”: hãy bấm “Gửi duyệt”; bài được xuất "
    "bản khi trưởng ban biên tập phê chuẩn. Chưa có gì được lưu."
)
BULK_REFUSED = (
    "Không xuất bản hàng loạt được bài viết phải qua duyệt ({titles}): mỗi bài được xuất "
    "bản khi trưởng ban biên tập phê chuẩn."
)
COPY_REFUSED = (
    "Bản sao của bài viết phải qua duyệt không được xuất bản ngay: bỏ chọn “xuất bản bản "
    "sao” rồi gửi duyệt từng bài."
)


def _label(page_class) -> str:
    return page_class._meta.label_lower


def reviewed_types() -> set[str]:
    return {
        t.lower()
        for t in getattr(settings, "EDITORIAL_REVIEWED_PAGE_TYPES", DEFAULT_REVIEWED_PAGE_TYPES)
    }


def bypass_types() -> set[str]:
    return {
        t.lower()
        for t in getattr(settings, "EDITORIAL_BYPASS_PAGE_TYPES", DEFAULT_BYPASS_PAGE_TYPES)
    }


def is_reviewed_type(page_class) -> bool:
    return page_class is not None and _label(page_class) in reviewed_types()


def under_review(page) -> bool:
    """Must ``page`` (saved) be published through its workflow?"""
    return is_reviewed_type(page.specific_class) and page.get_workflow() is not None


def new_page_under_review(parent_page, page_class) -> bool:
    """Must a new ``page_class`` page under ``parent_page`` go through the workflow?"""
    if not is_reviewed_type(page_class):
        return False
    # The parent's own workflow counts as well as its ancestors' (Wagtail's get_workflow).
    return parent_page.get_workflow() is not None


def can_bypass(user, page) -> bool:
    """May ``user`` publish ``page`` at once, with a reason, instead of through review?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if _label(page.specific_class) not in bypass_types():
        return False
    if not (user.is_superuser or user.groups.filter(name=SITE_ADMIN).exists()):
        return False
    return page.permissions_for_user(user).can_publish()


def subtree_has_reviewed_pages(page) -> bool:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    labels = reviewed_types()
    types = [
        ct.pk
        for ct in ContentType.objects.filter(app_label__in={lbl.split(".")[0] for lbl in labels})
        if f"{ct.app_label}.{ct.model}" in labels
    ]
    return Page.objects.descendant_of(page, inclusive=True).filter(content_type__in=types).exists()


def locked_against_bypass(page, user) -> bool:
    """A lock held by someone else stops the bypass; the workflow's own lock does not (the
    bypass cancels the workflow)."""
    from wagtail.locks import WorkflowLock

    lock = page.get_lock()
    return bool(lock and not isinstance(lock, WorkflowLock) and lock.for_user(user))
