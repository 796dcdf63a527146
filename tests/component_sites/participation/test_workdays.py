"""The 15-working-day deadline on the Vietnamese calendar."""

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


def test_fifteen_working_days_over_april_holidays():
    # From Friday 24/4/2026: 27/4 (Hùng Kings, made up), 30/4 and 1/5 are off.
    due = workdays.add_working_days(dt.date(2026, 4, 24), 15)
    assert due == dt.date(2026, 5, 20)
    assert workdays.working_days_between(dt.date(2026, 4, 24), due) == 15


def test_extra_holiday_from_settings(settings):
    settings.PARTICIPATION_EXTRA_HOLIDAYS = ["2026-09-01"]
    assert workdays.add_working_days(dt.date(2026, 8, 31), 1) == dt.date(2026, 9, 3)


def test_years_without_table_are_reported():
    assert workdays.missing_years(2026, 2027, 2028) == [2028]
