"""Working days on the Vietnamese calendar: weekends and public holidays (incl. Tết) skipped.

The public holidays come from the ``holidays`` library (Viet Nam: Labour Code 2019,
Article 112, with Tết and the Hùng Kings' day from the lunar calendar, the day next to 2/9,
the days made up when a holiday falls on a weekend, and the swaps the Government announced
up to the library's release).  What the Government announces after that release is added
here, without waiting for a new library version:

- ``ANNOUNCED``: days off announced for a year (a longer Tết, a swapped day), in code;
- ``settings.PARTICIPATION_EXTRA_HOLIDAYS``: ISO dates a province adds without a release.

Both only add days off; a day the library already knows keeps its name.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as holiday_rules
from django.conf import settings

# Days off announced by the Government that the library's release does not list yet.
ANNOUNCED: dict[dt.date, str] = {}
EXTRA_NAME = "Ngày nghỉ bổ sung"


@lru_cache(maxsize=32)
def official_holidays(year: int) -> dict[dt.date, str]:
    """The library's public holidays of Viet Nam in ``year``, named in Vietnamese."""
    return dict(holiday_rules.country_holidays("VN", years=year, language="vi").items())


class HolidayCalendar:
    """Public holidays of any year (loaded on first use) plus the announced and extra days."""

    def __init__(self, extra: dict[dt.date, str]) -> None:
        self.extra = extra

    def get(self, day: dt.date) -> str | None:
        """The holiday's name, or None for an ordinary day."""
        return official_holidays(day.year).get(day) or self.extra.get(day)

    def __contains__(self, day: dt.date) -> bool:
        return self.get(day) is not None

    def of_year(self, year: int) -> dict[dt.date, str]:
        """Every holiday of ``year``, by date."""
        days = {day: name for day, name in self.extra.items() if day.year == year}
        days.update(official_holidays(year))
        return dict(sorted(days.items()))


def holidays() -> HolidayCalendar:
    """The calendar in force: the library's holidays, ``ANNOUNCED`` and the setting's days.

    ``settings.PARTICIPATION_EXTRA_HOLIDAYS`` (a list of ISO dates) lets a province add an
    announced day without a release.
    """
    extra = dict(ANNOUNCED)
    for raw in getattr(settings, "PARTICIPATION_EXTRA_HOLIDAYS", []):
        extra.setdefault(dt.date.fromisoformat(raw), EXTRA_NAME)
    return HolidayCalendar(extra)


def is_working_day(day: dt.date, known: HolidayCalendar | None = None) -> bool:
    known = holidays() if known is None else known
    return day.weekday() < 5 and day not in known


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
    known = holidays()
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, known):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    known = holidays()
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + dt.timedelta(days=offset), known)
    )
