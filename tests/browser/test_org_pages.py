"""A citizen on a phone: urgent banner on the home page, week schedule, next week, English
contact page."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def province_content(sites, django_db_blocker):
    """Content the live server (another connection) can see: committed, removed afterwards."""
    from component_sites.core.models import SectionPage
    from component_sites.notices.models import UrgentNotice
    from component_sites.organization.models import EnglishPage, EnglishSectionPage
    from component_sites.schedule.models import ScheduleEntry, ScheduleWeekPage
    from component_sites.schedule.weeks import IsoWeek

    made = []
    with django_db_blocker.unblock(), schema_context(sites.province.schema_name):
        home = Site.objects.get(is_default_site=True).root_page
        sections = {page.section_key: page.specific for page in SectionPage.objects.child_of(home)}
        now = timezone.now()
        notice = UrgentNotice.objects.create(
            title="Cảnh báo mưa lớn và lũ quét",
            message="Không đi qua ngầm, tràn khi nước lên.",
            level=UrgentNotice.Level.DANGER,
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=2),
        )
        this_week = IsoWeek.current()
        for week, content in [
            (this_week, "Giao ban đầu tuần"),
            (this_week.shifted(1), "Hội nghị sơ kết quý"),
        ]:
            page = ScheduleWeekPage(
                title=f"Lịch tuần {week.week}",
                slug=f"tuan-{week.week}-{week.year}",
                iso_year=week.year,
                iso_week=week.week,
            )
            page.entries.add(
                ScheduleEntry(
                    day=week.monday,
                    start=dt.time(7, 30),
                    leaders="Ông Quách Văn Long, Chủ tịch",
                    content=content,
                    location="Phòng họp số 1",
                    participants="Các sở, ngành",
                    preparing_unit="Văn phòng",
                )
            )
            sections["schedule"].add_child(instance=page)
            made.append(page)
        english = EnglishSectionPage(
            title="About us",
            slug="en",
            english_name="People's Committee of Hoa Binh Province",
            vietnamese_page=sections["introduction"],
        )
        home.add_child(instance=english)
        english.add_child(
            instance=EnglishPage(
                title="Contact",
                slug="contact",
                topic="contact",
                body="<p>Office hours: 7:30–11:30 and 13:30–16:30, Monday to Friday.</p>",
                vietnamese_page=sections["contact"],
            )
        )
        made.append(english)
    connection.set_schema_to_public()
    yield {"this_week": this_week}
    with django_db_blocker.unblock(), schema_context(sites.province.schema_name):
        for page in made:
            page.delete()
        notice.delete()
    connection.set_schema_to_public()


def test_citizen_on_a_phone_sees_banner_schedule_and_english_contact(
    sites, province_content, live_server_port, page, screenshot
):
    base = f"http://{sites.province.primary_domain}:{live_server_port}"
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{base}/")
    banner = page.get_by_role("alert")
    assert "Cảnh báo mưa lớn và lũ quét" in banner.inner_text()
    screenshot("urgent-banner-phone")

    # On a phone the menu opens from its button.
    menu = page.get_by_role("navigation", name="Menu chính")
    toggle = menu.get_by_role("button", name="Danh mục")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    menu.get_by_role("link", name="Lịch công tác").click()
    week = province_content["this_week"]
    caption = page.locator("caption").inner_text()
    assert f"tuần {week.week}/{week.year}" in caption
    assert page.get_by_text("Giao ban đầu tuần").is_visible()
    screenshot("schedule-this-week-phone")

    page.get_by_role("link", name="Tuần sau").click()
    following = week.shifted(1)
    assert f"tuan={following.value}" in page.url
    assert page.get_by_text("Hội nghị sơ kết quý").is_visible()
    assert page.get_by_text("Giao ban đầu tuần").count() == 0
    # The banner follows the citizen to every page.
    assert page.get_by_role("alert").is_visible()
    screenshot("schedule-next-week-phone")

    menu.get_by_role("button", name="Danh mục").click()
    menu.get_by_role("link", name="Liên hệ").click()
    page.get_by_role("link", name="English version").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Contact"
    assert page.get_by_text("Office hours").is_visible()
    screenshot("english-contact-phone")
