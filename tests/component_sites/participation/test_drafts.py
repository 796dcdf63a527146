"""Drafts for public comment: open window, refusal after closing, moderation, synthesis."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from component_sites.participation.models import DraftComment, DraftIndexPage, DraftPage
from tests.two_factor import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_draft(section):
    def make(opens, closes):
        today = timezone.localdate()
        draft = DraftPage(
            title=f"Dự thảo quy chế {opens}",
            agency="Văn phòng UBND",
            opens_on=today + dt.timedelta(days=opens),
            closes_on=today + dt.timedelta(days=closes),
            body="<p>Điều 1. Phạm vi.</p>",
        )
        section("drafts").add_child(instance=draft)
        return draft

    return make


def comment(client, draft, solved, **changes):
    data = {"author_name": "Trần Văn Hùng", "author_email": "hung@example.vn",
            "article_ref": "Điều 1", "text": "Đề nghị làm rõ phạm vi điều chỉnh.",
            "website": "", **solved(), **changes}  # fmt: skip
    return client.post(draft.url, data)


def test_drafts_section_is_typed(section):
    assert isinstance(section("drafts"), DraftIndexPage)


def test_open_draft_takes_a_moderated_comment(client, make_draft, solved):
    draft = make_draft(-1, 5)
    response = comment(client, draft, solved)
    assert "Góp ý sẽ được đăng sau khi được kiểm duyệt" in response.content.decode()
    saved = DraftComment.objects.get()
    assert saved.status == DraftComment.Status.PENDING
    assert "Đề nghị làm rõ" not in client.get(draft.url).content.decode()
    saved.status = DraftComment.Status.PUBLISHED
    saved.save()
    body = client.get(draft.url).content.decode()
    assert "Đề nghị làm rõ" in body and "hung@example.vn" not in body


def test_closed_draft_refuses_comments(client, make_draft, solved):
    draft = make_draft(-10, -1)
    response = comment(client, draft, solved)
    assert response.status_code == 403
    assert "Thời gian lấy ý kiến đã kết thúc ngày" in response.content.decode()
    assert DraftComment.objects.count() == 0


def test_draft_not_yet_open(client, make_draft, solved):
    draft = make_draft(2, 10)
    response = comment(client, draft, solved)
    assert "bắt đầu nhận góp ý từ ngày" in response.content.decode()
    assert DraftComment.objects.count() == 0


def test_comment_honeypot(client, make_draft, solved):
    response = comment(client, make_draft(-1, 5), solved, website="x")
    assert "điền tự động" in response.content.decode()
    assert DraftComment.objects.count() == 0


def test_closing_date_after_opening(make_draft):
    from django.core.exceptions import ValidationError

    draft = make_draft(0, 3)
    draft.closes_on = draft.opens_on - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        draft.full_clean()


@pytest.fixture
def staff(site_schema):
    user = get_user_model().objects.create_superuser("bientap", "bt@example.vn", "x")
    staff = Client(HTTP_HOST=site_schema.primary_domain)
    verified_login(staff, user)
    return staff


def test_synthesis_export_after_closing(staff, make_draft):
    draft = make_draft(-10, -1)
    DraftComment.objects.create(draft=draft, author_name="Hội Nông dân", text="=HYPERLINK(1)",
                                status=DraftComment.Status.PUBLISHED, fingerprint="a")  # fmt: skip
    DraftComment.objects.create(draft=draft, author_name="Spam", text="quảng cáo",
                                status=DraftComment.Status.REJECTED, fingerprint="b")  # fmt: skip
    csv_text = staff.get(f"/admin/participation/draft/{draft.pk}/synthesis.csv").content.decode()
    assert "Hội Nông dân" in csv_text and "'=HYPERLINK(1)" in csv_text and "Spam" not in csv_text
    xlsx = staff.get(f"/admin/participation/draft/{draft.pk}/synthesis.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=3, column=3).value == "Hội Nông dân"


def test_synthesis_waits_for_closing(staff, make_draft):
    draft = make_draft(-1, 5)
    response = staff.get(f"/admin/participation/draft/{draft.pk}/synthesis.csv")
    assert response.status_code == 409


def test_synthesis_needs_login(client, make_draft):
    draft = make_draft(-10, -1)
    response = client.get(f"/admin/participation/draft/{draft.pk}/synthesis.csv")
    assert response.status_code == 302
