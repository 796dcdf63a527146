"""Read helpers for other parts of the site (the home page): each a bounded query."""

from django.db.models import Min, Q
from django.utils import timezone

from component_sites.core import site_cache
from component_sites.core.site_cache import per_request, public

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


# Rows read at once for the banner and its next change: more means a second, exact read.
URGENT_ROWS = 50


def _urgent_state(now):
    """(notices showing at ``now``, most severe first; the next start or end after ``now``).

    One query: the notices not ended yet, in order of start (those showing come first,
    then the next to start).
    """
    rows = list(
        UrgentNotice.objects.filter(ends_at__gt=now)
        .select_related("link_page")
        .order_by("starts_at", "pk")[: URGENT_ROWS + 1]
    )
    if len(rows) > URGENT_ROWS:
        return _showing(now), _next_change(now)
    showing = [notice for notice in rows if notice.starts_at <= now]
    showing.sort(key=lambda notice: notice.starts_at, reverse=True)
    moments = [notice.ends_at for notice in showing]
    moments += [notice.starts_at for notice in rows if notice.starts_at > now][:1]
    return _most_severe(showing[:20]), min(moments, default=None)


def _most_severe(notices):
    notices.sort(key=lambda notice: (UrgentNotice.SEVERITY.get(notice.level, 9), notice.ends_at))
    return notices[: UrgentNotice.MAX_SHOWN]


def _showing(now):
    return _most_severe(
        list(
            UrgentNotice.objects.filter(starts_at__lte=now, ends_at__gt=now)
            .select_related("link_page")
            .order_by("-starts_at")[:20]
        )
    )


def _next_change(now):
    found = UrgentNotice.objects.aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)),
        end=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    moments = [moment for moment in found.values() if moment is not None]
    return min(moments) if moments else None


def _state(now):
    if now is not None:
        return _urgent_state(now)
    # The banner and the page cache's lifetime ask in the same request: one read for both,
    # from the site cache until the next start or end (a notice saved renews it at once).
    return per_request(
        "urgent-notices",
        lambda: site_cache.get(
            "urgent-notices",
            lambda: _urgent_state(timezone.now()),
            seconds=_until_change,
            shared=True,
        ),
    )


def _until_change(state) -> int | None:
    """Whole seconds until the banner next changes (0: keep nothing), None if it never does."""
    change = state[1]
    if change is None:
        return None
    return max(0, int((change - timezone.now()).total_seconds()))


def current_urgent_notices(now=None):
    """Urgent notices to show at ``now`` (default: this instant), most severe first.

    At most ``UrgentNotice.MAX_SHOWN`` rows; one query shared with ``next_urgent_change``.
    """
    return list(_state(now)[0])


def next_urgent_change(now=None):
    """When the set of urgent banners next changes (a start or an end after ``now``), or None.

    Cached pages carrying the banner live no longer than this.
    """
    return _state(now)[1]


def home_context(home) -> dict:
    return {"notices": latest_notices(home, 5)}
