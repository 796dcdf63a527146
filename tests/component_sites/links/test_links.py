"""Banners show between their dates, by position; link groups render their links."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone
from django_tenants.utils import schema_context

from component_sites.links.models import LinkBanner, LinkGroup, LinkGroupItem
from component_sites.links.queries import active_banners
from tests.component_sites import factories

pytestmark = pytest.mark.django_db


def test_active_banners_by_position_and_dates(sites):
    now = timezone.now()
    with schema_context(sites.commune.schema_name):
        image = factories.make_image("Banner")

        def banner(title, **fields):
            return LinkBanner.objects.create(
                title=title, image=image, url="https://dichvucong.gov.vn/", **fields
            )

        always = banner("Luôn hiện", sort_order=2)
        current = banner("Đang chạy", sort_order=1, active_from=now - timedelta(days=1))
        banner("Đã hết", active_until=now - timedelta(minutes=1))
        banner("Chưa tới", active_from=now + timedelta(days=1))
        banner("Chân trang", position=LinkBanner.Position.FOOTER)
        assert [b.pk for b in active_banners("sidebar")] == [current.pk, always.pk]
        assert [b.pk for b in active_banners("sidebar", 1)] == [current.pk]
        html = Template('{% load links_tags %}{% link_banners "sidebar" %}').render(Context())
    assert '<span class="link-banner__title">Đang chạy</span>' in html
    assert "Đã hết" not in html and "Chưa tới" not in html


def test_link_group_tag(sites):
    with schema_context(sites.commune.schema_name):
        group = LinkGroup.objects.create(name="Liên kết website")
        LinkGroupItem.objects.create(group=group, title="Chính phủ", url="https://chinhphu.vn/")
        assert group.slug == "lien-ket-website"
        html = Template('{% load links_tags %}{% link_group "lien-ket-website" %}').render(
            Context()
        )
        missing = Template('{% load links_tags %}{% link_group "khong-co" %}').render(Context())
    assert '<h2 id="link-group-lien-ket-website">Liên kết website</h2>' in html
    assert 'href="https://chinhphu.vn/"' in html
    assert missing.strip() == ""


def test_end_before_start_is_refused(sites):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    banner = LinkBanner(title="Sai", url="https://x.vn/", active_from=now, active_until=now)
    with pytest.raises(ValidationError):
        banner.clean()
