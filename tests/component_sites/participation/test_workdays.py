"""The 15-working-day deadline on the Vietnamese calendar (``holidays`` + announced days)."""

import datetime as dt

import pytest

from component_sites.participation import workdays

pytestmark = pytest.mark.django_db


def test_weekend_is_skipped():
    # Friday 6/3/2026 + 1 working day = Monday 9/3/2026.
    assert workdays.add_working_days(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 9)


def test_tet_2026_is_skipped():
    # Friday 13/2/2026: Tết runs 14–22/2, so the next working day is Monday 23/2.
    assert workdays.add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)


def test_tet_of_a_year_nobody_typed_in_comes_from_the_lunar_calendar():
    # Tết Đinh Mùi: lunar new year Saturday 6/2/2027; 29 Tết (4/2) to mùng 5 (10/2) off.
    calendar = workdays.holidays()
    assert calendar.get(dt.date(2027, 2, 6)) == "Tết Nguyên Đán"
    assert workdays.add_working_days(dt.date(2027, 2, 3), 1) == dt.date(2027, 2, 11)
    assert workdays.working_days_between(dt.date(2027, 2, 3), dt.date(2027, 2, 11)) == 1


def test_national_day_and_the_day_next_to_it_are_skipped():
    assert workdays.holidays().get(dt.date(2026, 9, 2)) == "Quốc khánh"
    # 2026: 31/8 (swapped), 1/9 and 2/9 off; 2027: Thursday 2/9 and Friday 3/9 off.
    assert workdays.add_working_days(dt.date(2026, 8, 28), 1) == dt.date(2026, 9, 3)
    assert workdays.add_working_days(dt.date(2027, 9, 1), 1) == dt.date(2027, 9, 6)
    assert workdays.is_working_day(dt.date(2027, 9, 6))


def test_fifteen_working_days_over_april_holidays():
    # From Friday 24/4/2026: 27/4 (Hùng Kings, made up), 30/4 and 1/5 are off.
    due = workdays.add_working_days(dt.date(2026, 4, 24), 15)
    assert due == dt.date(2026, 5, 20)
    assert workdays.working_days_between(dt.date(2026, 4, 24), due) == 15


def test_a_day_announced_in_code_is_added(monkeypatch):
    monday = dt.date(2026, 10, 5)
    assert workdays.is_working_day(monday)
    monkeypatch.setitem(workdays.ANNOUNCED, monday, "Nghỉ bù theo thông báo của Chính phủ")
    assert not workdays.is_working_day(monday)
    assert workdays.add_working_days(dt.date(2026, 10, 2), 1) == dt.date(2026, 10, 6)
    assert workdays.holidays().of_year(2026)[monday] == "Nghỉ bù theo thông báo của Chính phủ"


def test_extra_holiday_from_settings(settings):
    settings.PARTICIPATION_EXTRA_HOLIDAYS = ["2026-10-05"]
    assert workdays.add_working_days(dt.date(2026, 10, 2), 1) == dt.date(2026, 10, 6)
    # A day the library already has keeps its own name.
    settings.PARTICIPATION_EXTRA_HOLIDAYS = ["2026-09-02"]
    assert workdays.holidays().get(dt.date(2026, 9, 2)) == "Quốc khánh"
