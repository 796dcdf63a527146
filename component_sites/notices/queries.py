"""Read helpers for other parts of the site (the home page): each a bounded query."""

from django.db.models import Min, Q
from django.utils import timezone

from component_sites.core.site_cache import public

from .models import NoticePage, UrgentNotice


def latest_notices(home, n=5, today=None):
    """The ``n`` newest live, unexpired notices under ``home`` (one query)."""
    today = today or timezone.localdate()
    return list(
        public(NoticePage.objects.live().descendant_of(home))
        .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=today))
        .only("title", "url_path", "path", "depth", "date", "expiry_date", "summary")
        .order_by("-date", "-pk")[:n]
    )


def current_urgent_notices(now=None):
    """Urgent notices to show at ``now`` (default: this instant), most severe first.

    One query, at most ``UrgentNotice.MAX_SHOWN`` rows.
    """
    now = now or timezone.now()
    notices = list(
        UrgentNotice.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .select_related("link_page")
        .order_by("-starts_at")[:20]
    )
    notices.sort(key=lambda notice: (UrgentNotice.SEVERITY.get(notice.level, 9), notice.ends_at))
    return notices[: UrgentNotice.MAX_SHOWN]


def next_urgent_change(now=None):
    """When the set of urgent banners next changes (a start or an end after ``now``), or None.

    Cached pages carrying the banner live no longer than this (one query).
    """
    now = now or timezone.now()
    found = UrgentNotice.objects.aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)),
        end=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    moments = [moment for moment in found.values() if moment is not None]
    return min(moments) if moments else None


def home_context(home) -> dict:
    return {"notices": latest_notices(home, 5)}
