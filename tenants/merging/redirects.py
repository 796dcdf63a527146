"""Old addresses of an absorbed site → their new addresses on the survivor (301s).

Every old page address leads to where its page (or the section standing for it) now is,
and the source's own Wagtail redirects keep working from its old domains.
"""

from __future__ import annotations

from django_tenants.utils import schema_context
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .content_moves import relative


def page_paths(
    target_schema: str, page_map: dict[int, int], old_paths: dict[int, str], home_url_path: str
) -> list[tuple[str, str]]:
    """(old address, new address) of every moved page."""
    with schema_context(target_schema):
        url_paths = dict(
            Page.objects.filter(pk__in=set(page_map.values())).values_list("pk", "url_path")
        )
    return [
        (old_paths[old_id], relative(url_paths[new_id], home_url_path))
        for old_id, new_id in page_map.items()
        if old_id in old_paths and new_id in url_paths
    ]


def source_redirects(
    source_schema: str, target_schema: str, page_map: dict[int, int], home_url_path: str
) -> list[tuple[str, str]]:
    """(old path, new address) of each of the source's Wagtail redirects still leading somewhere."""
    with schema_context(source_schema):
        redirects = list(
            Redirect.objects.values_list("old_path", "redirect_page_id", "redirect_link")
        )
    with schema_context(target_schema):
        moved = [page_map[pk] for _old, pk, _link in redirects if pk in page_map]
        url_paths = dict(Page.objects.filter(pk__in=moved).values_list("pk", "url_path"))
    found = []
    for old_path, page_id, link in redirects:
        if page_id and page_id in page_map:
            found.append((old_path, relative(url_paths[page_map[page_id]], home_url_path)))
        elif link:
            found.append((old_path, link))
    return found
