"""Bounded queries for banners and link groups (one or two SQL queries each)."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.images import get_image_model

from .models import LinkBanner, LinkGroup

# The rendition banners.html shows (prefetched with the banners: no query per banner).
BANNER_RENDITION = "fill-800x240-c50"


def active_banners(position, n=None, *, now=None):
    """Banners of ``position`` showing now (between their dates), in order, with renditions."""
    now = now or timezone.now()
    queryset = (
        LinkBanner.objects.filter(position=position)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=now))
        .filter(Q(active_until__isnull=True) | Q(active_until__gt=now))
        .prefetch_related(
            Prefetch(
                "image", queryset=get_image_model().objects.prefetch_renditions(BANNER_RENDITION)
            )
        )
        .order_by("sort_order", "pk")
    )
    return list(queryset[:n] if n else queryset)


def link_group(slug):
    """The link group ``slug`` with its links, or None."""
    return LinkGroup.objects.filter(slug=slug).prefetch_related("links").first()
