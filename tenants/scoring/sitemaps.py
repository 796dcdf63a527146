"""The council's published results in the province portal's sitemap.xml."""

from __future__ import annotations

from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap

from component_sites.core.origin import absolute_url
from tenants.models import Tenant

from .results import published_periods


class ScoringResultsSitemap(Sitemap):
    """``/ket-qua-danh-gia/`` and each published period, on the province portal only."""

    def items(self):
        tenant = getattr(self.request, "tenant", None)
        if not isinstance(tenant, Tenant) or tenant.level != Tenant.Level.PROVINCE:
            return []
        periods = list(published_periods(tenant).only("pk", "published_at"))
        if not periods:
            return []
        return [(reverse("scoring_results"), periods[0].published_at)] + [
            (reverse("scoring_results_period", args=[period.pk]), period.published_at)
            for period in periods
        ]

    def _urls(self, page, protocol, domain):
        urls = [
            {"item": None, "location": absolute_url(path, self.request), "lastmod": lastmod}
            for path, lastmod in self.paginator.page(page).object_list
        ]
        stamps = [url["lastmod"] for url in urls]
        if stamps and None not in stamps:
            self.latest_lastmod = max(stamps)
        return urls
