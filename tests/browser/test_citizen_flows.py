"""A citizen's flows on a phone and a desktop: every form after an error, the one-step rating,
the urgent alert, the phone menu, the schedule, the album viewer and the 404 page.

Every step waits for what the person would see (Playwright's expect / locators), never for
a time; each form is sent once per attempt.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_participation import solve
from tests.committed import committed as run_committed
from tests.component_sites import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "doclap.hoabinh.test.localhost"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def site_path(url_path: str) -> str:
    """A page's path on the site (its url_path starts with the home page's own slug)."""
    return "/" + url_path.strip("/").split("/", 1)[1] + "/"


@pytest.fixture(scope="module")
def content(sites, django_db_blocker):
    """An article, an open draft, an urgent alert, an album and this week's schedule."""
    schema = sites.direct_commune.schema_name

    def make():
        from component_sites.core.models import SectionPage
        from component_sites.media.models import AlbumPage, AlbumPhoto
        from component_sites.notices.models import UrgentNotice
        from component_sites.participation.models import DraftPage
        from component_sites.schedule.models import ScheduleEntry, ScheduleWeekPage
        from component_sites.schedule.weeks import IsoWeek

        home = factories.home()
        sections = {s.section_key: s for s in SectionPage.objects.child_of(home)}
        category = factories.make_category("Tin người dân")
        article = factories.make_articles(category, 1, with_image=False)[0]
        today = timezone.localdate()
        draft = DraftPage(
            title="Dự thảo quy chế văn hoá khu dân cư",
            agency="Văn phòng UBND xã",
            opens_on=today - dt.timedelta(days=1),
            closes_on=today + dt.timedelta(days=20),
            body="<p>Điều 1. Phạm vi điều chỉnh.</p>",
        )
        sections["drafts"].add_child(instance=draft)
        now = timezone.now()
        alert = UrgentNotice.objects.create(
            title="Cảnh báo sạt lở đất tại thôn Đồng Bến",
            message="Các hộ dân di dời theo hướng dẫn của Ban chỉ huy phòng chống thiên tai.",
            level=UrgentNotice.Level.DANGER,
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(days=1),
            link_page=sections["notices"],
        )
        album = AlbumPage(title="Ngày hội đại đoàn kết", date=today)
        for n in range(3):
            album.photos.add(
                AlbumPhoto(image=factories.make_image(f"Ngày hội {n + 1}"), caption=f"Ảnh {n + 1}")
            )
        sections["media"].add_child(instance=album)
        week = IsoWeek.current()
        schedule = ScheduleWeekPage(
            title=f"Lịch công tác tuần {week.week}/{week.year}",
            slug=f"tuan-{week.week}-{week.year}",
            iso_year=week.year,
            iso_week=week.week,
        )
        schedule.entries.add(
            ScheduleEntry(
                day=week.monday,
                start=dt.time(7, 30),
                leaders="Ông Trần Văn Bình, Chủ tịch",
                content="Họp giao ban đầu tuần",
                location="Phòng họp",
            )
        )
        sections["schedule"].add_child(instance=schedule)
        from component_sites.documents.models import DocumentType, IssuingBody
        from component_sites.organization.models import EnglishPage, EnglishSectionPage

        # Names of their own: other modules create "Quyết định" and keep it unique.
        kind = DocumentType.objects.create(name="Quyết định (kiểm thử người dân)")
        body = IssuingBody.objects.create(name="Ủy ban nhân dân xã (kiểm thử người dân)")
        document = factories.make_legal_document(
            sections["documents"],
            number="99/2026/QĐ-UBND",
            document_type=kind,
            issuing_body=body,
            signer="Nguyễn Văn Hùng",
        )
        english = EnglishSectionPage.objects.child_of(home).first()
        made_english = english is None
        if made_english:
            english = EnglishSectionPage(title="About us", slug="en", english_name="Doc Lap")
            home.add_child(instance=english)
            english.add_child(
                instance=EnglishPage(
                    title="Contact", slug="contact", topic="contact", body="<p>Office hours.</p>"
                )
            )
        from wagtail.models import Site

        from themes.models import SiteBranding

        branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
        branding.facebook_url = "https://www.facebook.com/doclap.gov.vn"
        branding.zalo_url = "https://zalo.me/doclap"
        branding.save()
        return {
            "document_path": site_path(document.url_path),
            "english_path": site_path(english.url_path),
            "article": article.pk,
            "article_path": site_path(article.url_path),
            "draft_path": site_path(draft.url_path),
            "album_path": site_path(album.url_path),
            "schedule_path": site_path(sections["schedule"].url_path),
            "alert": alert.pk,
            "pages": [category.pk, draft.pk, album.pk, schedule.pk, document.pk]
            + ([english.pk] if made_english else []),
        }

    with django_db_blocker.unblock():
        made = run_committed(make, schema)
    yield made

    def clean():
        from wagtail.images import get_image_model
        from wagtail.models import Page

        from component_sites.notices.models import UrgentNotice
        from component_sites.participation.models import (
            ArticleComment,
            ArticleRating,
            Question,
            ServiceRating,
        )

        for model in (ArticleComment, ArticleRating, Question, ServiceRating):
            model.objects.all().delete()
        UrgentNotice.objects.filter(pk=made["alert"]).delete()
        from wagtail.models import Site

        from themes.models import SiteBranding

        branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
        branding.facebook_url = branding.zalo_url = ""
        branding.save()
        for stale in Page.objects.filter(pk__in=made["pages"]).order_by("-depth"):
            stale.specific.delete()
        get_image_model().objects.filter(title__startswith="Ngày hội").delete()
        from component_sites.documents.models import DocumentType, IssuingBody

        DocumentType.objects.filter(name__endswith="(kiểm thử người dân)").delete()
        IssuingBody.objects.filter(name__endswith="(kiểm thử người dân)").delete()

    with django_db_blocker.unblock():
        run_committed(clean, schema)


def captcha_question(page) -> str:
    label = page.locator("label[for=id_captcha_answer]")
    expect(label).to_contain_text("bằng mấy?")
    return label.inner_text().rstrip(" *")


def answer_captcha(page, right=True):
    question = captcha_question(page)
    page.get_by_label(question).fill(solve(question) if right else "99")
    return question


def send(page, button: str):
    """Press the form's button once and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def expect_error_summary(page, field_label: str):
    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile(re.escape(field_label)))).to_be_visible()
    return summary


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_question_form_after_an_error_keeps_everything_but_the_file(
    live_server_port, page, screenshot, content, tmp_path, viewport
):
    page.set_viewport_size(viewport)
    base = f"http://{HOST}:{live_server_port}"
    pdf = tmp_path / "don-de-nghi.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.goto(f"{base}/hoi-dap/dat-cau-hoi/")
    page.get_by_label("Họ và tên").fill("Đinh Thị Thu")
    page.get_by_label("Số điện thoại").fill("0912 000 111")
    page.get_by_label("Lĩnh vực").select_option("tu-phap")
    # Each run its own words: the same question twice is refused as a duplicate.
    where = "trên điện thoại" if viewport is PHONE else "trên máy tính"
    page.get_by_label("Tiêu đề câu hỏi").fill("Chứng thực bản sao giấy khai sinh")
    page.get_by_label("Nội dung câu hỏi").fill(
        f"Tôi cần chứng thực bản sao giấy khai sinh ({where})?"
    )
    page.get_by_label("Tệp đính kèm").set_input_files(str(pdf))
    first = answer_captcha(page, right=False)
    send(page, "Gửi câu hỏi")

    summary = expect_error_summary(page, "bằng mấy?")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Câu trả lời kiểm tra chưa đúng")
    expect(summary).to_contain_text("Tệp “don-de-nghi.pdf” chưa được gửi")
    question = captcha_question(page)  # a new question, shown as the label
    assert question != "Câu hỏi kiểm tra", question
    expect(page.get_by_label("Họ và tên")).to_have_value("Đinh Thị Thu")
    expect(page.get_by_label("Tiêu đề câu hỏi")).to_have_value("Chứng thực bản sao giấy khai sinh")
    expect(page.get_by_label("Lĩnh vực")).to_have_value("tu-phap")
    expect(page.get_by_label(question)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(question)).to_have_value("")
    screenshot(f"question-form-error-{'phone' if viewport is PHONE else 'desktop'}")
    assert question != first  # the one answered is used up

    page.get_by_label("Tệp đính kèm").set_input_files(str(pdf))
    answer_captcha(page)
    send(page, "Gửi câu hỏi")
    expect(page.locator("#tracking-code")).to_have_text(re.compile(r"^HD-"))
    screenshot(f"question-sent-{'phone' if viewport is PHONE else 'desktop'}")


def test_feedback_form_names_the_missing_field(live_server_port, page, content):
    base = f"http://{HOST}:{live_server_port}"
    page.goto(f"{base}/hoi-dap/phan-anh-kien-nghi/")
    page.get_by_label("Họ và tên").fill("Lò Văn Sáng")
    page.get_by_label("Thư điện tử").fill("sang@example.vn")
    page.get_by_label("Lĩnh vực").select_option("dat-dai")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Đường liên thôn Đồng Bến bị sạt một đoạn dài, đề nghị xã sửa sớm."
    )
    answer_captcha(page)  # right, but the title is missing
    send(page, "Gửi phản ánh, kiến nghị")
    expect_error_summary(page, "Tiêu đề phản ánh, kiến nghị")
    expect(page.get_by_label("Tiêu đề phản ánh, kiến nghị")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_label("Nội dung phản ánh, kiến nghị")).to_have_value(
        re.compile("Đường liên thôn Đồng Bến")
    )
    page.get_by_label("Tiêu đề phản ánh, kiến nghị").fill("Sạt lở đường liên thôn Đồng Bến")
    answer_captcha(page)
    send(page, "Gửi phản ánh, kiến nghị")
    expect(page.locator("#tracking-code")).to_have_text(re.compile(r"^PA-"))


def test_draft_comment_after_a_wrong_answer(live_server_port, page, screenshot, content):
    base = f"http://{HOST}:{live_server_port}"
    page.goto(base + content["draft_path"])
    page.get_by_label("Họ và tên hoặc tên tổ chức").fill("Hội Phụ nữ xã")
    page.get_by_label("Nội dung góp ý").fill("Đề nghị bổ sung quy định về giữ gìn vệ sinh chung.")
    answer_captcha(page, right=False)
    send(page, "Gửi góp ý")
    expect_error_summary(page, "bằng mấy?")
    expect(page.get_by_label("Nội dung góp ý")).to_have_value(re.compile("vệ sinh chung"))
    answer_captcha(page)
    send(page, "Gửi góp ý")
    expect(page.get_by_role("status").filter(has_text="Cảm ơn bạn đã góp ý")).to_be_visible()
    screenshot("draft-comment-sent")


def test_article_comment_after_a_short_text(live_server_port, page, content):
    base = f"http://{HOST}:{live_server_port}"
    page.goto(f"{base}/tuong-tac/bai-viet/{content['article']}/binh-luan/")
    page.get_by_label("Họ và tên").fill("Hà Văn Minh")
    page.get_by_label("Nội dung bình luận").fill("Hay")
    answer_captcha(page)
    send(page, "Gửi bình luận")
    expect_error_summary(page, "Nội dung bình luận")
    expect(page.get_by_label("Họ và tên")).to_have_value("Hà Văn Minh")
    page.get_by_label("Nội dung bình luận").fill("Bài viết rất bổ ích cho bà con.")
    answer_captcha(page)
    send(page, "Gửi bình luận")
    expect(page.get_by_role("status").filter(has_text="Đã nhận bình luận")).to_be_visible()


def radio_beside_its_label(page, label_text: str) -> None:
    """The radio sits on the label's line, left of its text (not floated away)."""
    label = page.locator("label", has_text=label_text).first
    radio = label.locator("input[type=radio]")
    box, dot = label.bounding_box(), radio.bounding_box()
    assert dot["width"] < 40, dot  # not stretched to the form's width
    assert box["y"] <= dot["y"] + dot["height"] / 2 <= box["y"] + box["height"]
    assert dot["x"] - box["x"] < 10


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_satisfaction_rating_radios_and_error(
    live_server_port, page, screenshot, content, viewport
):
    page.set_viewport_size(viewport)
    base = f"http://{HOST}:{live_server_port}"
    page.goto(f"{base}/tuong-tac/danh-gia-dich-vu/")
    radio_beside_its_label(page, "Rất hài lòng")
    page.get_by_label("Góp ý thêm").fill("Trang dễ tìm thông tin.")
    answer_captcha(page)  # but no level chosen
    send(page, "Gửi đánh giá")
    expect_error_summary(page, "Bạn có hài lòng")
    expect(page.get_by_label("Góp ý thêm")).to_have_value("Trang dễ tìm thông tin.")
    screenshot(f"satisfaction-error-{'phone' if viewport is PHONE else 'desktop'}")
    page.get_by_label("Rất hài lòng").check()
    answer_captcha(page)
    send(page, "Gửi đánh giá")
    expect(page.get_by_role("status").filter(has_text="Cảm ơn bạn đã đánh giá")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_article_rating_takes_one_step(live_server_port, page, screenshot, content, viewport):
    page.set_viewport_size(viewport)
    base = f"http://{HOST}:{live_server_port}"
    page.goto(base + content["article_path"])
    form = page.locator("form.article-rating__form")
    radio_beside_its_label(page, "4 sao")
    form.get_by_label("4 sao").check()
    form.get_by_role("button", name="Đánh giá").click()
    status = form.get_by_role("status")
    expect(status).to_have_text("Cảm ơn bạn đã đánh giá bài viết 4 sao.")
    assert page.url == base + content["article_path"]  # still on the article: one step
    section = page.locator("section.article-participation")
    expect(section.locator("[data-rating-stars='4']")).not_to_have_text("0")
    screenshot(f"article-rated-{'phone' if viewport is PHONE else 'desktop'}")


def test_urgent_banner_opens_the_alert(live_server_port, page, content):
    base = f"http://{HOST}:{live_server_port}"
    page.goto(f"{base}/")
    banner = page.get_by_role("region", name="Thông báo khẩn")
    banner.get_by_role("link", name=re.compile("Xem chi tiết")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cảnh báo sạt lở đất tại thôn Đồng Bến"
    )
    expect(page.locator("main")).to_contain_text("Các hộ dân di dời")


def test_escape_closes_the_phone_menu(live_server_port, page, screenshot, content):
    page.set_viewport_size(PHONE)
    page.goto(f"http://{HOST}:{live_server_port}/")
    toggle = page.get_by_role("button", name="Danh mục")
    menu = page.locator("#menu-chinh")
    toggle.click()
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    menu.get_by_role("link").first.focus()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()


def test_schedule_caption_reads_on_a_phone(live_server_port, page, screenshot, content):
    page.set_viewport_size(PHONE)
    page.goto(f"http://{HOST}:{live_server_port}" + content["schedule_path"])
    caption = page.locator(".schedule__table caption")
    expect(caption).to_contain_text("Lịch công tác")
    width = caption.evaluate("element => element.getBoundingClientRect().width")
    assert width > 300, width  # as wide as the table, not one word a line
    screenshot("schedule-phone")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_album_photos_open_in_a_keyboard_viewer(
    live_server_port, page, screenshot, content, viewport
):
    page.set_viewport_size(viewport)
    page.goto(f"http://{HOST}:{live_server_port}" + content["album_path"])
    first = page.get_by_role("link", name=re.compile("xem ảnh 1 cỡ lớn"))
    first.focus()
    page.keyboard.press("Enter")
    viewer = page.get_by_role("dialog")
    expect(viewer).to_be_visible()
    expect(viewer.get_by_role("button", name="Đóng")).to_be_focused()
    expect(viewer).to_contain_text("Ảnh 1/3")
    page.keyboard.press("ArrowRight")
    expect(viewer).to_contain_text("Ảnh 2/3")
    expect(viewer.locator("figcaption")).to_have_text("Ảnh 2")
    screenshot(f"album-viewer-{'phone' if viewport is PHONE else 'desktop'}")
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(page.get_by_role("link", name=re.compile("xem ảnh 2 cỡ lớn"))).to_be_focused()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_missing_page_keeps_the_sites_chrome(live_server_port, page, screenshot, content, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(f"http://{HOST}:{live_server_port}/khong-co-trang-nay/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu chính")).to_be_attached()
    screenshot(f"not-found-{'phone' if viewport is PHONE else 'desktop'}")
    page.get_by_label("Tìm trên cổng thông tin").fill("thủ tục")
    with page.expect_navigation():
        page.get_by_role("button", name="Tìm kiếm").click()
    assert "/tim-kiem/?q=" in page.url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_changed_pages_on_phone_and_desktop(live_server_port, page, screenshot, content, viewport):
    """The English chrome, a document's validity, the alert's page and the social block."""
    page.set_viewport_size(viewport)
    size = "phone" if viewport is PHONE else "desktop"
    base = f"http://{HOST}:{live_server_port}"
    page.goto(base + content["english_path"] + "contact/")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_attached()
    expect(page.get_by_role("contentinfo")).to_contain_text("Follow us")
    screenshot(f"english-contact-{size}")
    page.goto(base + content["document_path"])
    expect(page.locator(".validity")).to_have_text("Còn hiệu lực")
    expect(page.locator("main")).to_contain_text("Nguyễn Văn Hùng")
    screenshot(f"document-validity-{size}")
    page.goto(f"{base}/thong-bao-khan/{content['alert']}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cảnh báo sạt lở")
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name=re.compile("^Facebook"))).to_have_attribute(
        "href", "https://www.facebook.com/doclap.gov.vn"
    )
    expect(footer).to_contain_text("Năm nay")
    screenshot(f"urgent-alert-{size}")
