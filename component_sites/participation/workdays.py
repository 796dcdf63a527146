"""Working days on the Vietnamese calendar: weekends and public holidays (incl. Tết) skipped.

The holiday table below is data, one entry per year.  IT MUST BE CHECKED EVERY YEAR against
the Labour Code 2019 (Article 112) and the Government's / Ministry of Home Affairs' notice of
that year's Tết and 2/9 days (the Prime Minister fixes the Tết days and the day next to 2/9;
a holiday falling on a weekend is made up on the next working day).  Only days we are sure of
are listed; a year missing from the table counts weekends only, and ``missing_years`` tells
the admin which years still need their dates.

2026: Tết Bính Ngọ from Sat 14/02 to Sun 22/02 (weekdays 16–20/02 off), as announced by
the Government; Hùng Kings' day (10/3 lunar) falls on Sun 26/04, made up on Mon 27/04.
2027: only the fixed-date days and the first days of Tết Đinh Mùi (lunar new year Sat 06/02,
so Mon 08/02 = mùng 3 is surely off); the rest of Tết, the Hùng Kings' day and the day next
to 2/9 await the Government's announcement and must be added then.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

HOLIDAYS: dict[int, dict[dt.date, str]] = {
    2026: {
        dt.date(2026, 1, 1): "Tết Dương lịch",
        dt.date(2026, 2, 16): "Tết Nguyên đán (28 tháng Chạp)",
        dt.date(2026, 2, 17): "Tết Nguyên đán (mùng 1)",
        dt.date(2026, 2, 18): "Tết Nguyên đán (mùng 2)",
        dt.date(2026, 2, 19): "Tết Nguyên đán (mùng 3)",
        dt.date(2026, 2, 20): "Tết Nguyên đán (mùng 4)",
        dt.date(2026, 4, 27): "Nghỉ bù Giỗ Tổ Hùng Vương (26/4)",
        dt.date(2026, 4, 30): "Ngày Chiến thắng",
        dt.date(2026, 5, 1): "Ngày Quốc tế Lao động",
        dt.date(2026, 9, 2): "Quốc khánh",
    },
    2027: {
        dt.date(2027, 1, 1): "Tết Dương lịch",
        dt.date(2027, 2, 8): "Tết Nguyên đán (mùng 3)",
        dt.date(2027, 4, 30): "Ngày Chiến thắng",
        dt.date(2027, 5, 3): "Nghỉ bù Ngày Quốc tế Lao động (1/5)",
        dt.date(2027, 9, 2): "Quốc khánh",
    },
}


def holidays() -> dict[dt.date, str]:
    """Every known holiday, with extra days from ``settings.PARTICIPATION_EXTRA_HOLIDAYS``.

    The setting (a list of ISO dates) lets a province add an announced day without a release.
    """
    days = {day: name for year in HOLIDAYS.values() for day, name in year.items()}
    for raw in getattr(settings, "PARTICIPATION_EXTRA_HOLIDAYS", []):
        days.setdefault(dt.date.fromisoformat(raw), "Ngày nghỉ bổ sung")
    return days


def missing_years(*years: int) -> list[int]:
    """Those of ``years`` that have no holiday table yet (the admin shows a warning)."""
    return [year for year in years if year not in HOLIDAYS]


def is_working_day(day: dt.date, known: dict[dt.date, str] | None = None) -> bool:
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
