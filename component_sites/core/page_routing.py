"""A page found from its URL in one query, instead of Wagtail's walk down the tree.

Wagtail's ``Page.route`` looks up one child per level (a query for the child and one for its
specific row at each level: seven for home → news → category → article).  Every page's
``url_path`` is the whole path already, so the pages of every prefix of the requested path
come in one query; the walk then goes on in memory as Wagtail's would, level by level, and
hands over to the page's own ``route`` wherever a page type has one (routable pages: the
article's print view, the media library's kinds), which then behaves exactly as it does
under Wagtail's walk.  Anything unusual (two pages on one path) falls back to the walk.
"""

from __future__ import annotations

import hashlib

from wagtail.models import Page

from . import site_cache

FIELDS = ("id", "path", "depth", "url_path", "content_type_id", "live", "slug", "alias_of_id")


def _own_route(page) -> bool:
    """True when the page's type routes its sub-paths itself (not Wagtail's child lookup)."""
    model = page.specific_class
    return model is None or getattr(model, "route", None) is not Page.route


def route(root, request, components: list[str]):
    """``root.route(request, components)`` as Wagtail's walk does it, in two queries.

    For GET and HEAD, a path that is a page's own URL is kept in the site cache (its specific
    page), so the next request asks none; other methods always read the rows. Other paths
    (a page's sub-path, a missing page) are not kept, whatever a client invents.
    """
    if request.method not in ("GET", "HEAD"):
        # A form is judged against the rows as they are now (a draft's closing date, a
        # page's state changed without Wagtail's signals), never a kept copy of the page.
        node, taken = _find(root, components)
        return None if node is None else node.route(request, components[taken:])
    digest = hashlib.sha256("/".join(components).encode()).hexdigest()[:40]
    node, taken = site_cache.get(
        f"route:{root.pk}:{digest}",
        lambda: _find(root, components),
        seconds=lambda found: None if found[0] is not None and found[1] == len(components) else 0,
    )
    if node is None:
        return None  # the caller walks the tree as Wagtail does
    return node.route(request, components[taken:])


def _find(root, components):
    """(the specific page the walk stops at, how many components it took), or (None, 0)."""
    prefixes = [root.url_path + "/".join(components[: n + 1]) + "/" for n in range(len(components))]
    rows = list(Page.objects.filter(url_path__in=prefixes).only(*FIELDS))
    by_path = {row.url_path: row for row in rows}
    if len(by_path) != len(rows):
        return None, 0
    node, taken = root, 0
    for prefix in prefixes:
        child = by_path.get(prefix)
        if child is None or child.depth != node.depth + 1 or not child.path.startswith(node.path):
            break
        if node is root:  # as Wagtail's walk leaves it (the others were read in part only)
            child._cached_parent_obj = root
        node, taken = child, taken + 1
        if taken < len(components) and _own_route(node):
            break
    if node is root:
        return None, 0
    return _specific(node), taken


def _specific(page):
    """``page.specific``, with the relations its type names in ``ROUTE_SELECT_RELATED``
    (an article's picture: its page, its card and its Open Graph image all show it)."""
    model = page.specific_class
    related = getattr(model, "ROUTE_SELECT_RELATED", ())
    if model is None or not related:
        return page.specific
    specific = model._default_manager.select_related(*related).get(pk=page.pk)
    for name, value in page.__dict__.items():  # as Wagtail's get_specific copies them
        specific.__dict__.setdefault(name, value)
    return specific
