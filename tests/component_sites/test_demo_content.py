"""The demo builders of notices, media, schedule and organisation give a site real content."""

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from component_sites.core.demo import build_demo_content

pytestmark = pytest.mark.django_db


def test_demo_builders_fill_a_site(sites):
    from component_sites.media.models import AlbumPage, AudioPage, VideoPage
    from component_sites.notices.models import NoticePage, UrgentNotice
    from component_sites.organization.models import EnglishPage, LeaderPage, Spokesperson
    from component_sites.schedule.models import ScheduleWeekPage
    from component_sites.schedule.weeks import IsoWeek

    tenant = sites.direct_commune
    made = build_demo_content(tenant)
    assert made["notices"] == 5 and made["urgent notices"] == 1
    assert made["albums"] == 2 and made["leaders"] == 4
    with schema_context(tenant.schema_name):
        assert NoticePage.objects.live().count() == 5
        assert UrgentNotice.objects.filter(
            starts_at__lte=timezone.now(), ends_at__gt=timezone.now()
        ).exists()
        assert AlbumPage.objects.count() == 2 and all(
            a.photos.count() >= 3 for a in AlbumPage.objects.all()
        )
        assert VideoPage.objects.count() == 1 and AudioPage.objects.count() == 1
        current = IsoWeek.current()
        weeks = set(ScheduleWeekPage.objects.values_list("iso_year", "iso_week"))
        assert {
            (current.year, current.week),
            (current.shifted(1).year, current.shifted(1).week),
        } == weeks
        assert LeaderPage.objects.count() == 4 and Spokesperson.objects.count() == 1
        assert set(EnglishPage.objects.values_list("topic", flat=True)) == {
            "organisation",
            "functions",
            "contact",
        }
        # Adapted to the site: its name appears in the notices.
        assert NoticePage.objects.filter(title__contains="xã Độc Lập").exists()
        urls = [
            NoticePage.objects.first().url,
            LeaderPage.objects.first().url,
            EnglishPage.objects.get(topic="contact").url,
            AudioPage.objects.first().url,
            AlbumPage.objects.first().url,
            "/gioi-thieu/",
            "/lich-cong-tac/",
            "/thu-vien/",
        ]
    client = Client(HTTP_HOST=tenant.primary_domain)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_demo_content_is_deterministic(sites):
    from component_sites.organization.demo_people import demo_leaders, english_name

    assert demo_leaders(sites.commune) == demo_leaders(sites.commune)
    assert english_name(sites.commune) == "People's Committee of Nhuan Trach Commune"
    assert english_name(sites.district) == "People's Committee of Luong Son District"


def test_a_province_demo_reads_like_a_province(sites):
    """Departments (Sở) headed by a director, the provincial budget, one tone style, a
    labelled organisation chart."""
    from component_sites.news.models import ArticlePage, NewsCategoryPage
    from component_sites.organization.models import OrganizationPage

    province = sites.province  # “Tỉnh Hoà Bình”: its text marks oa/uy the old way
    build_demo_content(province)
    with schema_context(province.schema_name):
        organization = OrganizationPage.objects.get()
        heads = {d.name: d.head for d in organization.departments.all()}
        assert heads["Sở Tài chính"].startswith("Giám đốc ")
        assert heads["Sở Văn hoá, Thể thao và Du lịch"].startswith("Giám đốc ")
        budget = ArticlePage.objects.get(title__startswith="HĐND tỉnh thông qua dự toán")
        assert "Sở Tài chính" in str(budget.body)
        assert not ArticlePage.objects.filter(title__contains="hợp tác xã trồng").exists()
        titles = set(NewsCategoryPage.objects.values_list("title", flat=True))
        assert "Văn hoá – xã hội" in titles and "Văn hóa – xã hội" not in titles
        url = organization.url
    page = Client(HTTP_HOST=province.primary_domain).get(url).content.decode()
    chart = page[page.index('class="org-chart"') :]
    assert "Chủ tịch Uỷ ban nhân dân tỉnh Hoà Bình" in chart.split("</ul>")[0]
    assert "Sở Nội vụ" in chart and "Giám đốc" in chart


def test_a_commune_demo_keeps_the_new_tone_style_of_its_name(sites):
    tenant = sites.direct_commune  # “Xã Độc Lập” has no oa/uy syllable: the new style
    build_demo_content(tenant)
    from component_sites.news.models import NewsCategoryPage

    with schema_context(tenant.schema_name):
        titles = set(NewsCategoryPage.objects.values_list("title", flat=True))
    assert "Văn hóa – xã hội" in titles and "Văn hoá – xã hội" not in titles
