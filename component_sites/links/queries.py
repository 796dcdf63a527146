"""Banners and link groups: bounded queries, kept in the site cache until the links change."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.images import get_image_model

from component_sites.core import site_cache

from .models import LinkBanner, LinkGroup

# The rendition banners.html shows (prefetched with the banners: no query per banner).
BANNER_RENDITION = "fill-800x240-c50"


# The most banners kept for a site (every position, those not ended yet).
KEPT_BANNERS = 100


def _unended_banners(now):
    """The site's banners not ended at ``now``, every position, with images and renditions."""
    return list(
        LinkBanner.objects.filter(Q(active_until__isnull=True) | Q(active_until__gt=now))
        .prefetch_related(
            Prefetch(
                "image", queryset=get_image_model().objects.prefetch_renditions(BANNER_RENDITION)
            )
        )
        .order_by("sort_order", "pk")[:KEPT_BANNERS]
    )


def active_banners(position, n=None, *, now=None):
    """Banners of ``position`` showing now (between their dates), in order, with renditions.

    Every position's banners come from the site cache (read once until the links change);
    which of them show is decided at each call from their dates.
    """
    if now is not None:  # another moment than this one: read for it
        banners = _unended_banners(now)
    else:
        now = timezone.now()
        banners = site_cache.get("banners", lambda: _unended_banners(now), shared=True)
        if len(banners) >= KEPT_BANNERS:  # more than are kept: ask the database
            banners = _unended_banners(now)
    showing = [
        banner
        for banner in banners
        if banner.position == position
        and (banner.active_from is None or banner.active_from <= now)
        and (banner.active_until is None or banner.active_until > now)
    ]
    return showing[:n] if n else showing


def link_group(slug):
    """The link group ``slug`` with its links, or None (from the site cache)."""
    return site_cache.get(
        f"link-group:{slug}",
        lambda: LinkGroup.objects.filter(slug=slug).prefetch_related("links").first(),
        shared=True,
    )
