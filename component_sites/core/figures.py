"""The figures a site's content gives the province's scoring, registered by the apps that own it.

Each app that holds data the council scores puts a ``figures.py`` next to its models and
calls, at import:

- ``register(key, label, compute)``: ``compute(scope)`` measures one figure of the current
  schema's site for ``scope`` (a :class:`Scope`) and returns a :class:`Figure`.  The key is
  the one stored with the score (``tenants.scoring.models.Metric``), the label what the
  console shows for it.
- ``register_section_content(key, check)``: ``check(section)`` says whether the live section
  page of standard section ``key`` has content, and what was found (the "mandatory
  sections" figure asks it); ``pages_below`` and ``text_or_children`` make the usual checks.

The scoring app imports every ``figures`` module at start-up (``autodiscover_modules``) and
reads ``registered()``; ``core`` knows none of the apps, and the apps know nothing of
scoring but this module.

Drill-down items are ``{"label", "url", "date", "detail", "counted"}``: ``date`` is a
dd/mm/yyyy string, ``counted`` says whether the item is in the figure (a share's
numerator, or a count).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.html import strip_tags

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
NO_HOME = "Trang chưa có trang chủ."


@dataclass
class Figure:
    """One computed figure: ``value`` None means nothing could be measured (see ``note``)."""

    value: Decimal | None
    numerator: int = 0
    denominator: int | None = None
    note: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Scope:
    """What a figure measures: one site, one span of days (inclusive, local time), as of one
    day; ``base_url`` is the site's public address (drill-down links)."""

    tenant: Any
    starts_on: datetime.date
    ends_on: datetime.date
    today: datetime.date
    base_url: str = ""

    @property
    def start(self) -> datetime.datetime:
        """The first instant of the span (midnight of its first day, local time)."""
        return local_midnight(self.starts_on)

    @property
    def end(self) -> datetime.datetime:
        """The first instant after the span (exclusive)."""
        return local_midnight(self.ends_on + datetime.timedelta(days=1))


@dataclass(frozen=True)
class FigureSpec:
    key: str
    label: str
    compute: Callable[[Scope], Figure]


SectionCheck = Callable[[Any], tuple[bool, str]]

_FIGURES: dict[str, FigureSpec] = {}
_SECTION_CHECKS: dict[str, SectionCheck] = {}


def register(key, label, compute: Callable[[Scope], Figure]) -> None:
    """Register the figure ``key``; registering the same function again changes nothing."""
    key = str(key)
    known = _FIGURES.get(key)
    if known is not None and known.compute is not compute:
        raise ImproperlyConfigured(
            f"Scoring figure {key!r} is registered twice: by {_where(known.compute)} "
            f"and by {_where(compute)}."
        )
    _FIGURES[key] = FigureSpec(key, str(label), compute)


def registered() -> dict[str, FigureSpec]:
    """Every registered figure by key, in registration order."""
    return dict(_FIGURES)


def register_section_content(key, check: SectionCheck) -> None:
    """Say what fills standard section ``key``; one check per section."""
    key = str(key)
    known = _SECTION_CHECKS.get(key)
    if known is not None and known is not check:
        raise ImproperlyConfigured(
            f"The content of section {key!r} is registered twice: by {_where(known)} "
            f"and by {_where(check)}."
        )
    _SECTION_CHECKS[key] = check


def section_check(key: str) -> SectionCheck:
    """The registered check of section ``key``; a section nobody registered is filled by its
    introduction or by any live page below it."""
    return _SECTION_CHECKS.get(str(key), _DEFAULT_CHECK)


def _where(function) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"


# --- the usual section checks -------------------------------------------------------------


def _live_below(section):
    from wagtail.models import Page

    return Page.objects.descendant_of(section).live().public()


def pages_below(*model_labels: str) -> SectionCheck:
    """Filled when a live, public page of one of these types is below the section (any depth)."""

    def check(section) -> tuple[bool, str]:
        from django.apps import apps

        models = [apps.get_model(label) for label in model_labels]
        count = _live_below(section).type(*models).count()
        return count > 0, f"{count} trang nội dung đang hiển thị"

    return check


def text_or_children(*field_names: str) -> SectionCheck:
    """Filled when one of the section's own text fields has text, or a live page is below it."""

    def check(section) -> tuple[bool, str]:
        filled = [name for name in field_names if has_text(getattr(section, name, ""))]
        children = _live_below(section).count()
        parts = []
        if filled:
            parts.append("có nội dung giới thiệu/thông tin")
        if children:
            parts.append(f"{children} trang con đang hiển thị")
        return bool(filled or children), "; ".join(parts) or "chưa có nội dung"

    return check


_DEFAULT_CHECK = text_or_children("intro")


# --- helpers for the figure functions ------------------------------------------------------


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def share(numerator: int, denominator: int) -> Decimal:
    """``numerator / denominator`` as a percentage with two decimals."""
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(
        TWO_PLACES, rounding=ROUND_HALF_UP
    )


def dmy(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.strftime("%d/%m/%Y")


def item(label: str, url: str = "", date=None, detail: str = "", counted: bool = True) -> dict:
    return {
        "label": label,
        "url": url,
        "date": date if isinstance(date, str) else dmy(date),
        "detail": detail,
        "counted": counted,
    }


def has_text(value) -> bool:
    return bool(strip_tags(str(value or "")).replace("&nbsp;", " ").strip())


def site_home():
    """The home page of the current schema's site (None for a schema without one)."""
    from wagtail.models import Site

    site = (
        Site.objects.filter(is_default_site=True).select_related("root_page").first()
        or Site.objects.select_related("root_page").order_by("pk").first()
    )
    return site.root_page if site else None


def page_url(scope: Scope, home, url_path: str) -> str:
    """The address citizens use for a page below ``home`` (empty for one outside it)."""
    if home is None or not url_path.startswith(home.url_path):
        return ""
    return scope.base_url + "/" + url_path[len(home.url_path) :]


def published_pages(model, scope: Scope, home):
    """Live, public pages of ``model`` below the site's home, first published in the span."""
    return (
        model.objects.live()
        .public()
        .descendant_of(home)
        .filter(first_published_at__gte=scope.start, first_published_at__lt=scope.end)
        .order_by("first_published_at", "pk")
    )


def count_figure(items: list[dict]) -> Figure:
    """A count: every item is counted."""
    return Figure(value=Decimal(len(items)), numerator=len(items), items=items)


def published_pages_figure(model, scope: Scope, fields: tuple[str, ...], detail) -> Figure:
    """The count of ``model``'s pages first published in the span, one item per page.

    ``fields`` are the columns ``detail(page)`` reads for the item's detail line.
    """
    home = site_home()
    if home is None:
        return Figure(Decimal(0), note=NO_HOME)
    pages = published_pages(model, scope, home).only(
        "title", "url_path", "first_published_at", *fields
    )
    return count_figure(
        [
            item(
                page.title,
                page_url(scope, home, page.url_path),
                page.first_published_at,
                detail=detail(page),
            )
            for page in pages
        ]
    )
