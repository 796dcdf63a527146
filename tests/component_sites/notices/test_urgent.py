"""Urgent notices: shown on every page, only between their start and end."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from component_sites.notices.models import UrgentNotice
from component_sites.notices.queries import current_urgent_notices

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def urgent(title, starts_at, ends_at, level=UrgentNotice.Level.WARNING):
    return UrgentNotice.objects.create(
        title=title, message="Nội dung cảnh báo.", level=level, starts_at=starts_at, ends_at=ends_at
    )


def test_shown_from_start_until_end_in_vietnam_time(site_schema):
    start = dt.datetime(2026, 7, 1, 8, 0, tzinfo=HCM)
    end = dt.datetime(2026, 7, 1, 17, 0, tzinfo=HCM)
    urgent("Mưa lớn", start, end)
    assert current_urgent_notices(start - dt.timedelta(seconds=1)) == []
    assert [n.title for n in current_urgent_notices(start)] == ["Mưa lớn"]
    assert [n.title for n in current_urgent_notices(end - dt.timedelta(seconds=1))] == ["Mưa lớn"]
    assert current_urgent_notices(end) == []
    # 08:00 in Hà Nội is 01:00 UTC.
    utc_start = dt.datetime(2026, 7, 1, 1, 0, tzinfo=dt.UTC)
    assert [n.title for n in current_urgent_notices(utc_start)] == ["Mưa lớn"]


def test_several_at_once_most_severe_first(site_schema):
    start = dt.datetime(2026, 7, 1, 8, 0, tzinfo=HCM)
    end = start + dt.timedelta(days=1)
    urgent("Thông tin", start, end, UrgentNotice.Level.INFO)
    urgent("Khẩn cấp", start + dt.timedelta(hours=1), end, UrgentNotice.Level.DANGER)
    urgent("Cảnh báo", start, end, UrgentNotice.Level.WARNING)
    titles = [n.title for n in current_urgent_notices(start + dt.timedelta(hours=2))]
    assert titles == ["Khẩn cấp", "Cảnh báo", "Thông tin"]


def test_banner_on_every_page_only_while_active(section, site_schema):
    now = timezone.now()
    urgent(
        "Cảnh báo lũ quét đang hiệu lực", now - dt.timedelta(hours=1), now + dt.timedelta(hours=1)
    )
    urgent("Đã kết thúc hôm qua", now - dt.timedelta(days=2), now - dt.timedelta(days=1))
    urgent("Chưa đến giờ", now + dt.timedelta(hours=1), now + dt.timedelta(hours=5))
    client = Client(HTTP_HOST=site_schema.primary_domain)
    for url in ["/", section("notices").url, section("schedule").url, section("contact").url]:
        html = client.get(url).content.decode()
        assert 'aria-label="Thông báo khẩn"' in html, url
        assert "Cảnh báo lũ quét đang hiệu lực" in html, url
        assert "Đã kết thúc hôm qua" not in html
        assert "Chưa đến giờ" not in html


def test_no_banner_without_active_notice_nor_on_another_site(sites, site_schema):
    now = timezone.now()
    urgent("Chỉ của xã này", now - dt.timedelta(hours=1), now + dt.timedelta(hours=1))
    other = Client(HTTP_HOST=sites.district.primary_domain).get("/").content.decode()
    assert "Thông báo khẩn" not in other
    assert "Chỉ của xã này" not in other


def test_end_before_start_is_refused(site_schema):
    start = dt.datetime(2026, 7, 1, 8, 0, tzinfo=HCM)
    notice = UrgentNotice(title="Sai", message="x", starts_at=start, ends_at=start)
    with pytest.raises(ValidationError) as excinfo:
        notice.full_clean()
    assert "ends_at" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        notice.save()
    assert not UrgentNotice.objects.filter(title="Sai").exists()
