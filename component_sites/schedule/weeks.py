"""ISO weeks as the schedule shows them: parsing the week picker's value, neighbours, days."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

WEEKDAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
# Years a schedule can plausibly be looked up for; anything else is a typo.
MIN_YEAR, MAX_YEAR = 2000, 2100
# The value of <input type="week">: 2026-W14 (also accepted: 2026-w14, 2026-14).
WEEK_RE = re.compile(r"^\s*(\d{4})-?[Ww]?(\d{1,2})\s*$")
# The value of <input type="date"> (2026-03-18), or the Vietnamese 18/03/2026 where the
# browser shows a plain text box.
DAY_RE = re.compile(
    r"^(?:(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"|(?P<vn_day>\d{1,2})[/.-](?P<vn_month>\d{1,2})[/.-](?P<vn_year>\d{4}))$"
)


class BadWeek(ValueError):
    """A week the visitor asked for that does not exist; the message says why."""


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def containing(cls, day: dt.date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def current(cls) -> IsoWeek:
        """This week in the site's time zone (Asia/Ho_Chi_Minh)."""
        return cls.containing(timezone.localdate())

    @classmethod
    def parse(cls, raw: str) -> IsoWeek:
        match = WEEK_RE.match(raw or "")
        if not match:
            raise BadWeek(f"“{raw[:20]}” không phải là một tuần (dạng đúng: 2026-W14).")
        return cls.of(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, year: int, week: int) -> IsoWeek:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise BadWeek(f"Năm {year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}.")
        try:
            dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            last = dt.date(year, 12, 28).isocalendar()[1]
            raise BadWeek(f"Năm {year} không có tuần {week} (chỉ có tuần 1 đến {last}).") from None
        return cls(year, week)

    @classmethod
    def of_day(cls, raw: str) -> IsoWeek:
        """The week holding the day a date field sent (``2026-03-18``, or ``18/03/2026`` typed
        where a browser shows a text box)."""
        text = (raw or "").strip()
        match = DAY_RE.match(text)
        if not match:
            raise BadWeek(f"“{text[:20]}” không phải là một ngày (dạng đúng: 18/03/2026).")
        if match.group("year"):
            year, month, day = (int(match.group(g)) for g in ("year", "month", "day"))
        else:
            year, month, day = (int(match.group(g)) for g in ("vn_year", "vn_month", "vn_day"))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise BadWeek(f"Năm {year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}.")
        try:
            return cls.containing(dt.date(year, month, day))
        except ValueError:
            raise BadWeek(f"Ngày {day:02d}/{month:02d}/{year} không có trong lịch.") from None

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def days(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=n) for n in range(7)]

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.containing(self.monday + dt.timedelta(weeks=weeks))

    @property
    def value(self) -> str:
        """As <input type="week"> writes it."""
        return f"{self.year}-W{self.week:02d}"

    def __str__(self) -> str:
        return f"Tuần {self.week}/{self.year}"
