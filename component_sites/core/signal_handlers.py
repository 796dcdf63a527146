"""Cached pages of a site are purged whenever what they show changes."""

from __future__ import annotations

from django.db import connection
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import registry
from .page_cache import purge_site

# Rows that change on their own without changing any page (counters, renditions).
IGNORED_MODELS = {"core.storedcounter", "core.counterbatch", "core.siterendition"}
# Rows of other apps that change what anonymous visitors may see: a page cached before a
# view restriction was added must not be served to them afterwards.
PAGE_ACCESS_MODELS = {"wagtailcore.pageviewrestriction"}


def _purge(**_kwargs) -> None:
    if connection.schema_name and connection.schema_name != "public":
        purge_site()


def _purge_for_content(sender, instance=None, **kwargs) -> None:
    if issubclass(sender, Page):
        # Pages created live in code (imports, demo) emit no page_published signal.
        if kwargs.get("created") and getattr(instance, "live", False):
            _purge()
        return
    label = sender._meta.label_lower
    if label in PAGE_ACCESS_MODELS or (
        sender._meta.app_label in registry.PAGE_CONTENT_APPS and label not in IGNORED_MODELS
    ):
        _purge()


def _purge_deleted_page(sender, **kwargs) -> None:
    if issubclass(sender, Page):
        _purge()


def register() -> None:
    page_published.connect(_purge, dispatch_uid="pagecache-published")
    page_unpublished.connect(_purge, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(_purge, dispatch_uid="pagecache-moved")
    post_save.connect(_purge_for_content, dispatch_uid="pagecache-content-saved")
    post_delete.connect(_purge_for_content, dispatch_uid="pagecache-content-deleted")
    post_delete.connect(_purge_deleted_page, dispatch_uid="pagecache-page-deleted")
