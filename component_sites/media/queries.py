"""Read helpers for other parts of the site (the home page): bounded queries."""

from component_sites.core.site_cache import public

from .models import MEDIA_KINDS, MediaItemPage, with_covers


def latest_media(home, n=4, kind=None):
    """The ``n`` newest albums, videos and audio programmes under ``home``.

    Specific pages with ``cover`` set (listing rendition prefetched): at most one query
    for the pages, one per kind present and two for the covers.
    """
    items = public(MediaItemPage.objects.live().descendant_of(home))
    if kind:
        items = items.type(MEDIA_KINDS[kind][0])
    return with_covers(items.order_by("-date", "-pk")[:n].specific())


def home_context(home) -> dict:
    return {"media": latest_media(home, 4)}
