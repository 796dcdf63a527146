"""The schedule section: current week by default, week navigation, bad weeks, bounded queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from component_sites.core.models import HomePage
from component_sites.schedule.models import ScheduleEntry, ScheduleIndexPage, ScheduleWeekPage
from component_sites.schedule.weeks import IsoWeek

pytestmark = pytest.mark.django_db


def add_week(index, week, entries=2, **fields):
    page = ScheduleWeekPage(
        title=f"Lịch công tác tuần {week.week}/{week.year}",
        slug=f"tuan-{week.week}-{week.year}",
        iso_year=week.year,
        iso_week=week.week,
        **fields,
    )
    for n in range(entries):
        page.entries.add(
            ScheduleEntry(
                day=week.monday + dt.timedelta(days=n % 5),
                start=dt.time(7 + n % 8, 30),
                leaders="Ông Trần Văn Bình, Chủ tịch",
                content=f"Công việc số {n + 1} tuần {week.week}",
                location="Phòng họp",
                participants="Các phòng chuyên môn",
                preparing_unit="Văn phòng",
            )
        )
    index.add_child(instance=page)
    return page


def test_page_tree_rules(section, home):
    index = section("schedule")
    assert isinstance(index, ScheduleIndexPage)
    assert ScheduleIndexPage.allowed_parent_page_models() == [HomePage]
    assert ScheduleIndexPage.allowed_subpage_models() == [ScheduleWeekPage]
    assert ScheduleWeekPage.can_create_at(index)
    assert not ScheduleWeekPage.can_create_at(home)
    assert not ScheduleIndexPage.can_create_at(home)  # one per site
    assert not ScheduleIndexPage.can_create_at(Page.get_first_root_node())


def test_index_shows_the_current_week_by_default(section, client):
    index = section("schedule")
    week = IsoWeek.current()
    add_week(index, week)
    html = client.get(index.url).content.decode()
    assert f"Công việc số 1 tuần {week.week}" in html
    assert f"từ {week.monday:%d/%m/%Y} đến {week.sunday:%d/%m/%Y}" in html
    assert "<caption>" in html and 'scope="col">Thời gian</th>' in html
    assert '<span aria-current="date">Tuần này</span>' in html


def test_previous_and_next_week_navigation(section, client):
    index = section("schedule")
    week = IsoWeek(2026, 1)
    add_week(index, week)
    add_week(index, week.shifted(1))
    html = client.get(index.url, {"tuan": "2026-W01"}).content.decode()
    assert "Công việc số 1 tuần 1<" in html
    assert "từ 29/12/2025 đến 04/01/2026" in html
    assert f'href="{index.url}?tuan=2025-W52" rel="prev"' in html
    assert f'href="{index.url}?tuan=2026-W02" rel="next"' in html
    # The picker (a date field: every browser has one) shows the week's Monday.
    assert 'type="date" id="chon-tuan" name="ngay" value="2025-12-29"' in html
    following = client.get(index.url, {"tuan": "2026-W02"}).content.decode()
    assert "Công việc số 1 tuần 2<" in following
    assert "Công việc số 1 tuần 1<" not in following
    empty = client.get(index.url, {"tuan": "2025-W52"}).content.decode()
    assert "Chưa có lịch công tác tuần 52/2025" in empty


@pytest.mark.parametrize(
    ("raw", "message"),
    [("2026-W60", "không có tuần 60"), ("abc", "không phải là một tuần"), ("", "không phải")],
)
def test_bad_week_gives_a_clear_message_and_the_current_week(section, client, raw, message):
    index = section("schedule")
    response = client.get(index.url, {"tuan": raw})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tuần không hợp lệ" in html and message in html
    current = IsoWeek.current()
    assert f"Tuần {current.week}/{current.year}" in html


@pytest.mark.parametrize("day", ["2025-12-31", "31/12/2025", "1/1/2026", " 2026-01-04 "])
def test_a_day_opens_its_week(section, client, day):
    index = section("schedule")
    add_week(index, IsoWeek(2026, 1))
    response = client.get(index.url, {"ngay": day})
    assert response.status_code == 200
    assert "Công việc số 1 tuần 1<" in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31/02/2026", "không có trong lịch"),
        ("hôm qua", "không phải là một ngày"),
        ("", "không phải là một ngày"),
        ("1500-01-01", "ngoài khoảng"),
    ],
)
def test_bad_day_gives_a_clear_message_and_the_current_week(section, client, raw, message):
    index = section("schedule")
    response = client.get(index.url, {"ngay": raw})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tuần không hợp lệ" in html and message in html
    current = IsoWeek.current()
    assert f"Tuần {current.week}/{current.year}" in html


def test_draft_week_is_not_shown(section, client):
    index = section("schedule")
    page = add_week(index, IsoWeek(2026, 10))
    page.unpublish()
    html = client.get(index.url, {"tuan": "2026-W10"}).content.decode()
    assert "Công việc số 1" not in html
    assert "Chưa có lịch công tác tuần 10/2026" in html


def test_week_page_renders_its_table(section, client):
    page = add_week(section("schedule"), IsoWeek(2026, 14), entries=3)
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thứ Hai, 30/03/2026" in html
    assert "Công việc số 3 tuần 14" in html


def test_entry_outside_the_week_and_bad_week_number_are_refused(section):
    from django.core.exceptions import ValidationError

    page = ScheduleWeekPage(title="x", slug="x", iso_year=2026, iso_week=14)
    page.entries.add(
        ScheduleEntry(day=dt.date(2026, 4, 6), start=dt.time(8), leaders="a", content="b")
    )
    with pytest.raises(ValidationError, match="không thuộc tuần 14"):
        page.clean()
    with pytest.raises(ValidationError):
        ScheduleWeekPage(title="y", slug="y", iso_year=2026, iso_week=60).clean()


def test_query_count_does_not_grow_with_entries(section, client):
    index = section("schedule")
    week = IsoWeek(2026, 20)
    page = add_week(index, week, entries=3)
    url = f"{index.url}?tuan={week.value}"

    def measure():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = measure()
    for n in range(3, 12):
        ScheduleEntry.objects.create(
            page=page,
            day=week.monday + dt.timedelta(days=n % 7),
            start=dt.time(8 + n % 9),
            leaders="Bà Lê Thị Hoa",
            content=f"Thêm việc {n}",
        )
    many = measure()
    assert "Thêm việc 11" in client.get(url).content.decode()
    assert many == few
