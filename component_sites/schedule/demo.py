"""Demo content of the schedule app: this week's and next week's schedule of the leaders."""

from __future__ import annotations

import datetime as dt

from .weeks import IsoWeek

ENGAGEMENTS = [
    (
        "Giao ban lãnh đạo Ủy ban nhân dân đầu tuần",
        "Phòng họp trụ sở",
        "Các Phó Chủ tịch, Chánh Văn phòng",
        "Văn phòng",
    ),
    (
        "Tiếp công dân định kỳ",
        "Trụ sở tiếp công dân",
        "Cán bộ tiếp công dân, địa chính, tư pháp",
        "Văn phòng",
    ),
    (
        "Kiểm tra tiến độ xây dựng đường giao thông nông thôn",
        "Thực địa các thôn",
        "Phòng Kinh tế, trưởng thôn",
        "Phòng Kinh tế",
    ),
    (
        "Họp bàn phương án phòng, chống thiên tai và tìm kiếm cứu nạn",
        "Phòng họp trụ sở",
        "Ban Chỉ huy phòng chống thiên tai",
        "Phòng Kinh tế",
    ),
    (
        "Làm việc với đoàn kiểm tra của cấp trên về cải cách hành chính",
        "Phòng họp trụ sở",
        "Trung tâm Phục vụ hành chính công",
        "Văn phòng",
    ),
    (
        "Dự lễ khai giảng lớp bồi dưỡng kiến thức quốc phòng – an ninh",
        "Hội trường",
        "Theo giấy mời",
        "Văn hoá – Xã hội",
    ),
    (
        "Duyệt nội dung kỳ họp Hội đồng nhân dân",
        "Phòng họp trụ sở",
        "Thường trực Hội đồng nhân dân, các ban",
        "Văn phòng",
    ),
    (
        "Thăm, tặng quà gia đình chính sách",
        "Các thôn, xóm",
        "Phòng Văn hoá – Xã hội, Mặt trận Tổ quốc",
        "Văn hoá – Xã hội",
    ),
]


def build_schedule(context) -> None:
    from component_sites.organization.demo_people import demo_leaders

    from .models import ScheduleEntry, ScheduleIndexPage, ScheduleWeekPage

    rng = context.rng
    index = ScheduleIndexPage.objects.child_of(context.home).first()
    if index is None:
        return
    leaders = demo_leaders(context.tenant)
    current = IsoWeek.current()
    for week in (current, current.shifted(1)):
        page = ScheduleWeekPage(
            title=f"Lịch công tác tuần {week.week} ({week.monday:%d/%m} – {week.sunday:%d/%m/%Y})",
            slug=f"tuan-{week.week}-{week.year}",
            iso_year=week.year,
            iso_week=week.week,
            note="Lịch có thể thay đổi; thay đổi sẽ được thông báo trên trang.",
        )
        for weekday in range(5):
            day = week.monday + dt.timedelta(days=weekday)
            for start, end in ((dt.time(7, 30), dt.time(11, 0)), (dt.time(14, 0), dt.time(16, 30))):
                if weekday and rng.random() < 0.3:
                    continue
                content, place, who, unit = (
                    ENGAGEMENTS[0]
                    if weekday == 0 and start.hour < 12
                    else rng.choice(ENGAGEMENTS[1:])
                )
                chair = leaders[0] if weekday == 0 else rng.choice(leaders[:3])
                page.entries.add(
                    ScheduleEntry(
                        day=day,
                        start=start,
                        end=end,
                        leaders=f"{chair['short']}, {chair['position'].split(' Ủy ban')[0]}",
                        content=content,
                        location=place,
                        participants=who,
                        preparing_unit=unit,
                    )
                )
        index.add_child(instance=page)
        page.save_revision().publish()
        context.count("schedule weeks")
