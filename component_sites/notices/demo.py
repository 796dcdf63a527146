"""Demo content of the notices app: five notices (one with a PDF, one expired), one urgent
notice active now."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from component_sites.core.pdf import simple_pdf


def unit_phrase(tenant) -> str:
    name = tenant.name
    return name[:1].lower() + name[1:]


def build_notices(context) -> None:
    """Notices adapted to the site's name and level, and a flood warning active now."""
    from component_sites.core.models import SiteDocument
    from component_sites.core.text import to_ascii

    from .models import NoticeAttachment, NoticeIndexPage, NoticePage, UrgentNotice

    tenant, rng = context.tenant, context.rng
    index = NoticeIndexPage.objects.child_of(context.home).first()
    if index is None:
        return
    unit = unit_phrase(tenant)
    today = timezone.localdate()
    year, month = today.year, today.month
    recruit = {
        "commune": "công chức cấp xã",
        "district": "viên chức sự nghiệp giáo dục",
        "province": "công chức, viên chức các sở, ngành",
    }.get(getattr(tenant, "level", ""), "công chức")
    items = [
        (
            f"Thông báo lịch tiếp công dân định kỳ tháng {month:02d}/{year} của Chủ tịch "
            f"Ủy ban nhân dân {unit}",
            "Chủ tịch Ủy ban nhân dân tiếp công dân định kỳ vào ngày 15 hằng tháng tại Trụ sở "
            "tiếp công dân. Công dân mang theo giấy tờ tuỳ thân và tài liệu liên quan.",
            None,
            True,
        ),
        (
            f"Thông báo tuyển dụng {recruit} năm {year}",
            f"Ủy ban nhân dân {unit} thông báo tuyển dụng {recruit} năm {year}. Hồ sơ nộp "
            "trực tiếp tại Bộ phận một cửa hoặc qua Cổng dịch vụ công trong thời hạn 30 ngày.",
            30,
            True,
        ),
        (
            "Thông báo tạm ngừng cung cấp điện để bảo dưỡng lưới điện",
            "Điện lực khu vực tạm ngừng cung cấp điện từ 7 giờ 00 đến 16 giờ 00 để bảo dưỡng "
            "đường dây trung thế. Đề nghị nhân dân chủ động sắp xếp sinh hoạt, sản xuất.",
            2,
            False,
        ),
        (
            "Thông báo tổ chức tiêm phòng vắc-xin cho đàn gia súc, gia cầm "
            f"đợt {rng.randint(1, 2)} năm {year}",
            "Các hộ chăn nuôi đăng ký với cán bộ thú y để được tiêm phòng lở mồm long móng, "
            "tụ huyết trùng và cúm gia cầm theo lịch của từng thôn, xóm.",
            45,
            False,
        ),
        (
            f"Thông báo công khai dự toán ngân sách năm {year} của {unit}",
            "Ủy ban nhân dân công khai dự toán thu, chi ngân sách năm theo quy định của Luật "
            "Ngân sách nhà nước. Chi tiết xem tệp đính kèm.",
            None,
            True,
        ),
    ]
    # The third notice is already over: it stays readable, marked as expired.
    offsets = sorted(rng.sample(range(1, 40), len(items)))
    for number, (title, text, valid_days, attach) in enumerate(items):
        date = today - dt.timedelta(days=offsets[number])
        expiry = date + dt.timedelta(days=valid_days) if valid_days else None
        notice = NoticePage(
            title=title,
            date=date,
            expiry_date=expiry,
            summary=text.split(".")[0] + ".",
            body=f"<p>{text}</p><p>Mọi thắc mắc xin liên hệ Văn phòng Ủy ban nhân dân {unit}.</p>",
        )
        if attach:
            pdf = SiteDocument(title=title, description=text)
            pdf.file.save(
                f"thong-bao-{number + 1}.pdf",
                ContentFile(
                    simple_pdf(
                        [
                            to_ascii(f"Uy ban nhan dan {unit}").upper(),
                            "",
                            to_ascii(title)[:80],
                            "",
                            f"Ngay {date:%d/%m/%Y}",
                        ]
                    )
                ),
                save=False,
            )
            pdf.save()
            notice.attachments.add(NoticeAttachment(document=pdf, label="Toàn văn thông báo (PDF)"))
            context.count("documents")
        index.add_child(instance=notice)
        notice.save_revision().publish()
        context.count("notices")

    now = timezone.now()
    UrgentNotice.objects.create(
        title="Cảnh báo mưa lớn, nguy cơ lũ quét và sạt lở đất",
        message=(
            "Trong những ngày tới trên địa bàn có mưa to đến rất to. Người dân không đi qua "
            "ngầm, tràn, suối khi nước lên; các hộ ở khu vực có nguy cơ sạt lở chủ động di "
            "dời theo hướng dẫn của chính quyền."
        ),
        level=UrgentNotice.Level.WARNING,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=30),
        link_page=index,
    )
    context.count("urgent notices")
