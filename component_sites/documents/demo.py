"""Demo documents: real national documents (numbers, dates, bodies as issued) and
plausible local ones of the unit, each with a small generated PDF."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from component_sites.core.demo_text import unit_words
from component_sites.core.pdf import simple_pdf
from component_sites.core.text import ascii_slug

TYPES = [
    "Luật",
    "Nghị quyết",
    "Nghị định",
    "Quyết định",
    "Chỉ thị",
    "Thông tư",
    "Kế hoạch",
    "Công văn",
    "Thông báo",
    "Báo cáo",
]
FIELDS = [
    "Công nghệ thông tin – chuyển đổi số",
    "Hành chính – tổ chức",
    "Đất đai – môi trường",
    "Khoa học – công nghệ",
    "Nông nghiệp",
    "Phòng, chống thiên tai",
    "Văn hóa – xã hội",
]

# Real documents; only facts we are sure of (number, type, body, date, effective date).
NATIONAL = [
    {
        "number": "42/2022/NĐ-CP",
        "type": "Nghị định",
        "body": "Chính phủ",
        "field": "Công nghệ thông tin – chuyển đổi số",
        "issued": dt.date(2022, 6, 24),
        "effective": dt.date(2022, 8, 1),
        "signer": "Vũ Đức Đam",
        "abstract": "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ "
        "quan nhà nước trên môi trường mạng.",
    },
    {
        "number": "61/2018/NĐ-CP",
        "type": "Nghị định",
        "body": "Chính phủ",
        "field": "Hành chính – tổ chức",
        "issued": dt.date(2018, 4, 23),
        "effective": dt.date(2018, 6, 21),
        "signer": "Nguyễn Xuân Phúc",
        "abstract": "Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục "
        "hành chính.",
    },
    {
        "number": "13/2023/NĐ-CP",
        "type": "Nghị định",
        "body": "Chính phủ",
        "field": "Công nghệ thông tin – chuyển đổi số",
        "issued": dt.date(2023, 4, 17),
        "effective": dt.date(2023, 7, 1),
        # Replaced by the Law on Personal Data Protection (91/2025/QH15) from 01/01/2026.
        "expires": dt.date(2026, 1, 1),
        "signer": "",
        "abstract": "Về bảo vệ dữ liệu cá nhân.",
    },
    {
        "number": "31/2024/QH15",
        "type": "Luật",
        "body": "Quốc hội",
        "field": "Đất đai – môi trường",
        "issued": dt.date(2024, 1, 18),
        "effective": dt.date(2024, 8, 1),
        "signer": "Vương Đình Huệ",
        "abstract": "Luật Đất đai.",
    },
    {
        "number": "104/2016/QH13",
        "type": "Luật",
        "body": "Quốc hội",
        "field": "Hành chính – tổ chức",
        "issued": dt.date(2016, 4, 6),
        "effective": dt.date(2018, 7, 1),
        "signer": "Nguyễn Thị Kim Ngân",
        "abstract": "Luật Tiếp cận thông tin.",
    },
    {
        "number": "06/QĐ-TTg",
        "type": "Quyết định",
        "body": "Thủ tướng Chính phủ",
        "field": "Công nghệ thông tin – chuyển đổi số",
        "issued": dt.date(2022, 1, 6),
        "effective": dt.date(2022, 1, 6),
        "signer": "Phạm Minh Chính",
        "abstract": "Phê duyệt Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác "
        "thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022 – 2025, tầm nhìn đến "
        "năm 2030.",
    },
    {
        "number": "57-NQ/TW",
        "type": "Nghị quyết",
        "body": "Bộ Chính trị",
        "field": "Khoa học – công nghệ",
        "issued": dt.date(2024, 12, 22),
        "effective": None,
        "signer": "Tô Lâm",
        "abstract": "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển "
        "đổi số quốc gia.",
        "party": True,
    },
]

# Local documents of the unit (numbers and dates made up, plausible for the unit).
LOCAL = [
    (
        "Kế hoạch",
        "KH-UBND",
        "Công nghệ thông tin – chuyển đổi số",
        20,
        "Kế hoạch chuyển đổi số năm {year} trên địa bàn {lower}.",
    ),
    (
        "Quyết định",
        "QĐ-UBND",
        "Hành chính – tổ chức",
        45,
        "Công bố danh mục thủ tục hành chính thực hiện tiếp nhận và trả kết quả tại Bộ phận "
        "Một cửa {ubnd}.",
    ),
    (
        "Thông báo",
        "TB-UBND",
        "Hành chính – tổ chức",
        9,
        "Lịch tiếp công dân định kỳ của lãnh đạo {ubnd} quý {quarter} năm {year}.",
    ),
    (
        "Công văn",
        "UBND-VP",
        "Phòng, chống thiên tai",
        30,
        "Về việc chủ động ứng phó với mưa lớn, lũ quét, sạt lở đất trên địa bàn {lower}.",
    ),
    ("Kế hoạch", "KH-UBND", "Nông nghiệp", 60, "Kế hoạch sản xuất nông nghiệp vụ mùa năm {year}."),
    (
        "Báo cáo",
        "BC-UBND",
        "Văn hóa – xã hội",
        75,
        "Báo cáo tình hình kinh tế – xã hội 6 tháng đầu năm {year} của {lower}.",
    ),
    (
        "Nghị quyết",
        "NQ-ĐU",
        "Hành chính – tổ chức",
        90,
        "Nghị quyết về lãnh đạo thực hiện nhiệm vụ chính trị năm {year} của {party}.",
    ),
]


def _pdf(context, title: str, lines: list[str]):
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title)
    name = f"{ascii_slug(title, max_length=60) or 'van-ban'}.pdf"
    document.file.save(name, ContentFile(simple_pdf(lines), name=name), save=False)
    document.save()
    context.count("files")
    return document


def build_documents(context) -> None:
    """Types, bodies, fields and ~14 documents with PDF files in the documents section."""
    from .models import (
        DocumentField,
        DocumentIndexPage,
        DocumentType,
        IssuingBody,
        LegalDocumentAttachment,
        LegalDocumentPage,
    )

    index = DocumentIndexPage.objects.child_of(context.home).first()
    if index is None:
        return
    rng = context.rng
    words = unit_words(context.tenant)
    today = timezone.localdate()

    types = {
        name: DocumentType.objects.get_or_create(name=name, defaults={"sort_order": order})[0]
        for order, name in enumerate(TYPES, start=1)
    }
    fields = {
        name: DocumentField.objects.get_or_create(name=name, defaults={"sort_order": order})[0]
        for order, name in enumerate(FIELDS, start=1)
    }
    bodies = {}
    for order, name in enumerate(
        ["Quốc hội", "Bộ Chính trị", "Chính phủ", "Thủ tướng Chính phủ", words.ubnd, words.party],
        start=1,
    ):
        bodies[name] = IssuingBody.objects.get_or_create(name=name, defaults={"sort_order": order})[
            0
        ]

    entries = []
    for item in NATIONAL:
        entries.append(
            {
                **item,
                "title": f"{item['type']} {item['number']}",
            }
        )
    for number, (kind, suffix, field, days_ago, abstract) in enumerate(LOCAL, start=1):
        issued = today - timedelta(days=days_ago + rng.randint(0, 6))
        text = abstract.format(
            year=issued.year,
            lower=words.lower,
            ubnd=words.ubnd,
            party=words.party,
            quarter=(issued.month - 1) // 3 + 1,
        )
        doc_number = f"{rng.randint(10, 240) + number}/{suffix}"
        is_party = suffix.endswith("ĐU")
        entries.append(
            {
                "number": doc_number,
                "type": kind,
                "body": words.party if is_party else words.ubnd,
                "field": field,
                "issued": issued,
                "effective": issued if kind in ("Quyết định", "Kế hoạch") else None,
                "signer": rng.choice(["Nguyễn Văn Hùng", "Bùi Văn Thắng", "Đinh Thị Mai"]),
                "abstract": text,
                "party": is_party,
                "title": f"{kind} số {doc_number} ngày {issued:%d/%m/%Y}",
            }
        )

    for entry in entries:
        page = LegalDocumentPage(
            title=entry["title"],
            slug=ascii_slug(entry["number"].replace("/", "-")),
            number=entry["number"],
            document_type=types[entry["type"]],
            issuing_body=bodies[entry["body"]],
            field=fields[entry["field"]],
            signer=entry["signer"],
            issue_date=entry["issued"],
            effective_date=entry["effective"],
            expiry_date=entry.get("expires"),
            abstract=entry["abstract"],
            is_party_document=entry.get("party", False),
        )
        index.add_child(instance=page)
        lines = [
            entry["body"].upper(),
            f"So: {entry['number']}",
            f"Ngay ban hanh: {entry['issued']:%d/%m/%Y}",
            "",
            entry["type"].upper(),
            entry["abstract"],
            "",
            "(Ban sao minh hoa cua trang thong tin dien tu - du lieu mau)",
        ]
        files = [_pdf(context, entry["title"], lines)]
        if rng.random() < 0.3:
            files.append(_pdf(context, f"Phụ lục – {entry['title']}", ["PHU LUC", *lines[1:3]]))
        for order, document in enumerate(files):
            LegalDocumentAttachment.objects.create(
                page=page,
                document=document,
                sort_order=order,
                label="Bản ký số" if order == 0 else "Phụ lục",
            )
        page.save_revision().publish()
        context.count("documents")
