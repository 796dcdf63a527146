"""Demo participation content: a few answered questions and one open draft with comments."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from . import guards

QUESTIONS = [
    (
        "dat-dai",
        "Thủ tục cấp đổi Giấy chứng nhận quyền sử dụng đất bị rách",
        "Giấy chứng nhận quyền sử dụng đất của gia đình tôi bị rách, ố. Tôi cần chuẩn bị "
        "những giấy tờ gì và nộp ở đâu để được cấp đổi?",
        "Hồ sơ gồm đơn đề nghị cấp đổi theo mẫu và bản gốc Giấy chứng nhận đã cấp. Ông/bà "
        "nộp tại Bộ phận tiếp nhận và trả kết quả của {name} hoặc nộp trực tuyến trên Cổng "
        "Dịch vụ công quốc gia.",
    ),
    (
        "tu-phap",
        "Đăng ký khai sinh cho con khi bố mẹ chưa đăng ký kết hôn",
        "Vợ chồng tôi chưa đăng ký kết hôn, nay muốn làm giấy khai sinh cho con thì có "
        "được ghi tên bố không?",
        "Được. Khi đăng ký khai sinh, nếu có người nhận là cha thì kết hợp giải quyết việc "
        "nhận cha con và đăng ký khai sinh tại {name}; cần mang theo giấy chứng sinh.",
    ),
    (
        "lao-dong",
        "Hồ sơ hưởng trợ cấp xã hội hằng tháng cho người cao tuổi",
        "Mẹ tôi năm nay 80 tuổi, không có lương hưu. Gia đình cần làm hồ sơ gì để mẹ được "
        "hưởng trợ cấp xã hội hằng tháng?",
        "Người từ đủ 80 tuổi không có lương hưu, trợ cấp bảo hiểm xã hội hằng tháng được "
        "hưởng trợ cấp. Gia đình nộp tờ khai theo mẫu tại {name}; hồ sơ được xét trong "
        "thời hạn quy định.",
    ),
]

DRAFT_BODY = (
    "<h2>Chương I. Quy định chung</h2>"
    "<p><b>Điều 1.</b> Phạm vi điều chỉnh: quy chế này quy định việc bảo đảm vệ sinh môi "
    "trường, thu gom và xử lý rác thải sinh hoạt trên địa bàn.</p>"
    "<p><b>Điều 2.</b> Đối tượng áp dụng: hộ gia đình, cá nhân, cơ quan, tổ chức trên địa "
    "bàn.</p>"
    "<h2>Chương II. Thu gom rác thải</h2>"
    "<p><b>Điều 3.</b> Rác thải sinh hoạt được phân loại tại nguồn và để đúng nơi quy định "
    "trước 18 giờ hằng ngày.</p>"
)


def build_participation(context) -> None:
    from component_sites.core.models import SectionPage

    from .models import DraftComment, DraftIndexPage, DraftPage, Question

    name = context.tenant.name
    now = timezone.now()
    for number, (field, title, text, answer) in enumerate(QUESTIONS):
        asked = now - timedelta(days=20 + 7 * number)
        Question.objects.create(
            asker_name="Nguyễn Văn An",
            asker_email="",
            asker_phone="0912345678",
            field=field,
            title=title,
            text=text,
            answer=answer.format(name=name),
            department="Văn phòng HĐND và UBND",
            status=Question.Status.PUBLISHED,
            submitted_at=asked,
            answered_at=asked + timedelta(days=5),
            fingerprint=guards.fingerprint(title, text),
        )
        context.count("questions")
    drafts = (
        SectionPage.objects.child_of(context.home).filter(section_key="drafts").specific().first()
    )
    if not isinstance(drafts, DraftIndexPage):
        return
    today = timezone.localdate()
    draft = DraftPage(
        title="Dự thảo Quy chế bảo vệ môi trường, thu gom rác thải sinh hoạt",
        agency="Văn phòng HĐND và UBND",
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=25),
        body=DRAFT_BODY,
        summary="Lấy ý kiến nhân dân về dự thảo quy chế thu gom rác thải sinh hoạt.",
    )
    drafts.add_child(instance=draft)
    _attach_draft_file(draft, name)
    for author, article, text in (
        (
            "Trần Thị Bình",
            "Điều 3",
            "Đề nghị cho phép để rác đến 19 giờ vì nhiều hộ đi làm về muộn.",
        ),
        ("Hội Nông dân", "Điều 2", "Đề nghị bổ sung cơ sở sản xuất, kinh doanh vào đối tượng."),
    ):
        DraftComment.objects.create(
            draft=draft,
            author_name=author,
            article_ref=article,
            text=text,
            status=DraftComment.Status.PUBLISHED,
            fingerprint=guards.fingerprint(str(draft.pk), text),
        )
    context.count("drafts")


def _attach_draft_file(draft, unit_name: str) -> None:
    """The draft's own file (toàn văn dự thảo), as a site document people download."""
    from django.core.files.base import ContentFile

    from component_sites.core.models import SiteDocument
    from component_sites.core.pdf import simple_pdf

    from .models import DraftAttachment

    document = SiteDocument(title=draft.title, description=draft.summary)
    # The PDF's built-in font has no Vietnamese letters: the demo file is written without them.
    lines = [
        "DU THAO",
        "Quy che bao ve moi truong, thu gom rac thai sinh hoat",
        "",
        "Chuong I. Quy dinh chung",
        "Dieu 1. Pham vi dieu chinh.",
        "Dieu 2. Doi tuong ap dung.",
        "Chuong II. Thu gom rac thai",
        "Dieu 3. Rac thai sinh hoat duoc phan loai tai nguon.",
        "",
        f"Lay y kien den het ngay {draft.closes_on:%d/%m/%Y}",
    ]
    document.file.save("du-thao-quy-che-moi-truong.pdf", ContentFile(simple_pdf(lines)), save=False)
    document.save()
    DraftAttachment.objects.create(page=draft, document=document, label="Toàn văn dự thảo (PDF)")
