"""The figures scoring measures itself: the mandatory sections of every portal (a rule of
the decree, checked against what each app says fills its section), and the availability
and speed of the home page from the platform's own probes (in public).

Registered like the content apps' figures (``component_sites.core.figures``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from decimal import Decimal

from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.figures import (
    Figure,
    Scope,
    dmy,
    item,
    page_url,
    register,
    section_check,
    share,
    site_home,
)
from component_sites.core.models import SectionPage

from .models import Metric, SiteProbe

# The platform's reading of the sections Decree 224/2026 Article 9 requires every portal to
# provide (keys of ``component_sites.core.models.SectionPage.Key``).  The text of Article 9
# was not available when this list was written: the province must check it against the
# decree and correct it here; the figure follows this list and nothing else.  What fills
# each section is registered by the app that owns it (``register_section_content``).
MANDATORY_SECTIONS_ARTICLE_9 = [
    "introduction",
    "news",
    "documents",
    "procedures",
    "questions",
    "drafts",
    "contact",
]
NO_PROBES = "Chưa có lần kiểm tra truy cập nào trong kỳ."


def mandatory_sections(scope: Scope) -> Figure:
    """Share of ``MANDATORY_SECTIONS_ARTICLE_9`` present (live, public, directly under the
    home page, found by ``section_key``) and filled (the section's registered check)."""
    home = site_home()
    sections: dict[str, SectionPage] = {}
    if home is not None:
        for section in (
            SectionPage.objects.child_of(home)
            .live()
            .public()
            .filter(section_key__in=MANDATORY_SECTIONS_ARTICLE_9)
            .order_by("path")
            .specific()
        ):
            sections.setdefault(section.section_key, section)
    labels = dict(SectionPage.Key.choices)
    items = []
    for key in MANDATORY_SECTIONS_ARTICLE_9:
        label = str(labels.get(key, key))
        section = sections.get(key)
        if section is None:
            items.append(
                item(label, detail="Chưa có chuyên mục (hoặc chưa xuất bản)", counted=False)
            )
            continue
        filled, found = section_check(key)(section)
        detail = ("Có chuyên mục; " if filled else "Có chuyên mục nhưng chưa có nội dung; ") + found
        items.append(
            item(
                f"{label} ({section.title})" if section.title != label else label,
                page_url(scope, home, section.url_path),
                section.last_published_at,
                detail,
                counted=filled,
            )
        )
    numerator = sum(1 for i in items if i["counted"])
    return Figure(share(numerator, len(items)), numerator, len(items), items=items)


# --- availability and speed (the platform's probes, in public) ----------------------------


def _probes(scope: Scope) -> list[SiteProbe]:
    with schema_context(get_public_schema_name()):
        return list(
            SiteProbe.objects.filter(
                tenant_id=scope.tenant.pk, day__gte=scope.starts_on, day__lte=scope.ends_on
            ).order_by("day")
        )


def _median_ms(timings: list) -> int | None:
    values = [float(t) for t in timings]
    return round(statistics.median(values)) if values else None


def _probe_items(scope: Scope, probes: list[SiteProbe], counted: Callable[[SiteProbe], bool]):
    home_url = scope.base_url + "/"
    items = []
    for probe in probes:
        median = _median_ms(probe.timings_ms)
        detail = f"{probe.successes}/{probe.checks} lần kiểm tra thành công"
        if median is not None:
            detail += f"; trung vị {median} ms"
        items.append(
            item(f"Ngày {dmy(probe.day)}", home_url, probe.day, detail, counted=counted(probe))
        )
        for failure in probe.failures:
            items.append(
                item(
                    f"Lỗi ngày {dmy(probe.day)} lúc {failure.get('time', '')}",
                    home_url,
                    probe.day,
                    str(failure.get("reason", "")),
                    counted=False,
                )
            )
    return items


def availability(scope: Scope) -> Figure:
    """Share of the platform's checks of the home page answered 200 in time."""
    probes = _probes(scope)
    checks = sum(p.checks for p in probes)
    successes = sum(p.successes for p in probes)
    items = _probe_items(scope, probes, lambda p: p.checks > 0)
    if not checks:
        return Figure(None, 0, 0, note=NO_PROBES, items=items)
    return Figure(share(successes, checks), successes, checks, items=items)


def response_time(scope: Scope) -> Figure:
    """Median response time (ms) of the successful checks of the period."""
    probes = _probes(scope)
    checks = sum(p.checks for p in probes)
    timings = [t for p in probes for t in p.timings_ms]
    items = _probe_items(scope, probes, lambda p: bool(p.timings_ms))
    if not checks:
        return Figure(None, 0, 0, note=NO_PROBES, items=items)
    if not timings:
        return Figure(
            None, 0, checks, note="Không có lần kiểm tra nào thành công trong kỳ.", items=items
        )
    return Figure(Decimal(_median_ms(timings)), len(timings), checks, items=items)


register(Metric.MANDATORY_SECTIONS, Metric.MANDATORY_SECTIONS.label, mandatory_sections)
register(Metric.AVAILABILITY, Metric.AVAILABILITY.label, availability)
register(Metric.RESPONSE_TIME, Metric.RESPONSE_TIME.label, response_time)
