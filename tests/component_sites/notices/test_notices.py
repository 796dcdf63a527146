"""Notices: page tree, list and detail pages, expiry, bad page numbers, bounded queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from component_sites.core.models import HomePage, SectionPage
from component_sites.notices.models import NoticeIndexPage, NoticePage
from component_sites.notices.queries import latest_notices

pytestmark = pytest.mark.django_db


def add_notice(index, title, date, **fields):
    notice = NoticePage(title=title, date=date, body="<p>Nội dung thông báo.</p>", **fields)
    index.add_child(instance=notice)
    return notice


def test_new_site_has_a_typed_notices_section(section):
    assert isinstance(section("notices"), NoticeIndexPage)


def test_page_tree_rules(section, home):
    assert NoticeIndexPage.allowed_parent_page_models() == [HomePage]
    assert NoticeIndexPage.allowed_subpage_models() == [NoticePage]
    assert NoticePage.allowed_parent_page_models() == [NoticeIndexPage]
    assert NoticePage.can_create_at(section("notices"))
    assert not NoticePage.can_create_at(home)
    assert not NoticePage.can_create_at(section("news"))
    # One notices section per site: it already exists.
    assert not NoticeIndexPage.can_create_at(home)
    assert NoticeIndexPage in HomePage.allowed_subpage_models()
    assert not NoticeIndexPage.can_create_at(Page.get_first_root_node())
    assert issubclass(NoticeIndexPage, SectionPage)


def test_list_and_detail_render_with_dd_mm_yyyy_dates(section, client):
    index = section("notices")
    notice = add_notice(
        index, "Thông báo lịch tiếp công dân", dt.date(2026, 3, 9), expiry_date=dt.date(2026, 4, 1)
    )
    listing = client.get(index.url)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Thông báo lịch tiếp công dân" in html
    assert ">09/03/2026</time>" in html
    detail = client.get(notice.url)
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "<h1>Thông báo lịch tiếp công dân</h1>" in body
    assert "01/04/2026" in body
    assert "Thông báo này đã hết hiệu lực." in body  # 1 April 2026 is in the past


def test_expiry_before_date_is_refused(section):
    from django.core.exceptions import ValidationError

    notice = NoticePage(
        title="Sai hạn",
        slug="sai-han",
        date=dt.date(2026, 3, 9),
        expiry_date=dt.date(2026, 3, 1),
        body="<p>x</p>",
    )
    with pytest.raises(ValidationError) as excinfo:
        notice.clean()
    assert "expiry_date" in excinfo.value.message_dict


@pytest.mark.parametrize("raw", ["abc", "999", "-1"])
def test_bad_page_number_gives_first_page_and_a_message(section, client, raw):
    index = section("notices")
    add_notice(index, "Thông báo duy nhất", dt.date(2026, 3, 9))
    response = client.get(index.url, {"trang": raw})
    assert response.status_code == 200
    html = response.content.decode()
    assert "đang hiển thị trang đầu" in html
    assert "Thông báo duy nhất" in html


def test_latest_notices_skips_expired_and_drafts(home, section):
    index = section("notices")
    today = dt.date(2026, 5, 10)
    add_notice(index, "Cũ đã hết hạn", dt.date(2026, 4, 1), expiry_date=dt.date(2026, 4, 30))
    add_notice(index, "Còn hạn", dt.date(2026, 5, 1), expiry_date=dt.date(2026, 5, 30))
    add_notice(index, "Không thời hạn", dt.date(2026, 5, 5))
    draft = add_notice(index, "Bản nháp", dt.date(2026, 5, 9))
    draft.unpublish()
    titles = [n.title for n in latest_notices(home, 5, today=today)]
    assert titles == ["Không thời hạn", "Còn hạn"]
    assert [n.title for n in latest_notices(home, 1, today=today)] == ["Không thời hạn"]


def _queries(client, url):
    client.get(url)  # warm caches (site root, renditions)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_items(section, client):
    index = section("notices")
    for n in range(3):
        add_notice(index, f"Thông báo số {n}", dt.date(2026, 3, 1) + dt.timedelta(days=n))
    few = _queries(client, index.url)
    for n in range(3, 12):
        add_notice(index, f"Thông báo số {n}", dt.date(2026, 3, 1) + dt.timedelta(days=n))
    many = _queries(client, index.url)
    assert "Thông báo số 11" in client.get(index.url).content.decode()
    assert many == few
