"""Demo banners and the “Liên kết website” group of every demo site."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

BANNERS = [
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/", "home-top"),
    ("Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn/", "sidebar"),
    ("Cơ sở dữ liệu quốc gia về văn bản pháp luật", "https://vbpl.vn/", "sidebar"),
]

WEBSITES = [
    ("Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn/"),
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"),
    ("Quốc hội Việt Nam", "https://quochoi.vn/"),
    ("Cơ sở dữ liệu quốc gia về văn bản pháp luật", "https://vbpl.vn/"),
    ("Báo Nhân Dân", "https://nhandan.vn/"),
]


def build_links(context) -> None:
    from .models import LinkBanner, LinkGroup, LinkGroupItem

    now = timezone.now()
    for order, (title, url, position) in enumerate(BANNERS, start=1):
        image = context.image(f"Banner {title}", title, width=600)
        LinkBanner.objects.create(
            title=title,
            image=image,
            url=url,
            position=position,
            sort_order=order,
            active_from=now - timedelta(days=30),
        )
        context.count("banners")
    group = LinkGroup.objects.create(name="Liên kết website")
    for order, (title, url) in enumerate(WEBSITES):
        LinkGroupItem.objects.create(group=group, title=title, url=url, sort_order=order)
    context.count("link groups")
