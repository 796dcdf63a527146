"""What the apps built on ``core`` tell it about themselves, so that ``core`` imports none of them.

Each content app fills these in its ``AppConfig.ready``:

- ``register_section_page(key, label)``: the page type of a standard section (news index,
  documents index...); it is also one of the page types allowed under the home page.
- ``register_home_child(label)``: one more page type allowed under the home page, without
  a standard section key (the English section).
- ``register_home_context(provider)``: ``provider(home)`` returns names for the home
  page's template (latest articles, notices, documents, media...), called in order.
- ``register_page_content(app_label)``: rows of that app appear on public pages; saving
  or deleting one purges the site's page cache.
- ``register_cache_expiry(provider)``: ``provider()`` returns the next moment cached pages
  must change by themselves (an urgent banner starting or ending) or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

# Section key → page model label ("news" → "news.NewsIndexPage").
SECTION_PAGE_TYPES: dict[str, str] = {}
# Page types allowed under the home page, in registration order (sections only).
HOME_CHILD_TYPES: list[str] = ["core.SectionPage"]
HOME_CONTEXT: list[Callable[[object], dict]] = []
# Apps whose rows appear on public pages; core's own and Wagtail's images and documents.
PAGE_CONTENT_APPS: set[str] = {"core", "wagtailimages", "wagtaildocs"}
CACHE_EXPIRIES: list[Callable[[], datetime | None]] = []


def register_section_page(key, model_label: str) -> None:
    """Make ``model_label`` (a ``SectionPage`` subclass) the page type of section ``key``.

    Template schemas are then seeded with that type, so every new site gets, say, a news
    index where the news section belongs.
    """
    SECTION_PAGE_TYPES[str(key)] = model_label
    register_home_child(model_label)


def register_home_child(model_label: str) -> None:
    if model_label not in HOME_CHILD_TYPES:
        HOME_CHILD_TYPES.append(model_label)


def register_home_context(provider: Callable[[object], dict]) -> None:
    if provider not in HOME_CONTEXT:
        HOME_CONTEXT.append(provider)


def register_page_content(app_label: str) -> None:
    PAGE_CONTENT_APPS.add(app_label)


def register_cache_expiry(provider: Callable[[], datetime | None]) -> None:
    if provider not in CACHE_EXPIRIES:
        CACHE_EXPIRIES.append(provider)


def home_context(home) -> dict:
    """The names every registered provider gives the home page's template."""
    context: dict = {}
    for provider in HOME_CONTEXT:
        context.update(provider(home))
    return context


def next_expiry() -> datetime | None:
    """The soonest moment a registered provider says cached pages change by themselves."""
    moments = [moment for provider in CACHE_EXPIRIES if (moment := provider()) is not None]
    return min(moments, default=None)
