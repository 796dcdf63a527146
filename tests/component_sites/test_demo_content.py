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
    from component_sites.organization.demo import demo_leaders, english_name

    assert demo_leaders(sites.commune) == demo_leaders(sites.commune)
    assert english_name(sites.commune) == "People's Committee of Nhuan Trach Commune"
    assert english_name(sites.district) == "People's Committee of Luong Son District"
