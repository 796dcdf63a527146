"""ISO weeks: parsing the week picker's value, bad weeks, neighbours across years."""

import datetime as dt

import pytest

from component_sites.schedule.weeks import BadWeek, IsoWeek


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-W14", IsoWeek(2026, 14)),
        ("2026-w01", IsoWeek(2026, 1)),
        ("2020-53", IsoWeek(2020, 53)),
    ],
)
def test_parse(raw, expected):
    assert IsoWeek.parse(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "không phải là một tuần"),
        ("", "không phải là một tuần"),
        ("2026-W60", "không có tuần 60"),
        ("2025-W53", "không có tuần 53"),  # 2025 has 52 weeks (2026 has 53)
        ("2026-W00", "không có tuần 0"),
        ("1500-W10", "ngoài khoảng"),
    ],
)
def test_bad_weeks_say_why(raw, message):
    with pytest.raises(BadWeek) as excinfo:
        IsoWeek.parse(raw)
    assert message in str(excinfo.value)


def test_days_and_neighbours_cross_the_year():
    week = IsoWeek(2026, 1)
    assert week.monday == dt.date(2025, 12, 29)
    assert week.sunday == dt.date(2026, 1, 4)
    assert week.shifted(-1) == IsoWeek(2025, 52)
    assert IsoWeek(2020, 53).shifted(1) == IsoWeek(2021, 1)
    assert week.value == "2026-W01"
