"""Questions: submit, tracking code, staff workflow, public answers, reminders."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from component_sites.participation.models import Question, QuestionIndexPage, normalise_code

pytestmark = pytest.mark.django_db

VALID = {
    "asker_name": "Lê Thị Mai",
    "asker_email": "mai@example.vn",
    "asker_phone": "0987654321",
    "field": "dat-dai",
    "title": "Hỏi về thủ tục tách thửa đất",
    "text": "Gia đình tôi muốn tách thửa đất ở để chia cho con, cần thủ tục gì?",
    "website": "",
}


def ask(client, page, solved, **changes):
    return client.post(page.url + "dat-cau-hoi/", {**VALID, **solved(), **changes})


def make_question(**fields):
    values = {
        "asker_name": "Phạm Văn Nam",
        "asker_email": "nam@example.vn",
        "asker_phone": "0911222333",
        "field": "tu-phap",
        "title": "Đăng ký kết hôn với người nước ngoài",
        "text": "Thủ tục đăng ký kết hôn với người nước ngoài làm ở đâu?",
        "fingerprint": "x",
        **fields,
    }
    return Question.objects.create(**values)


def test_new_sites_have_a_questions_index(questions_page):
    assert isinstance(questions_page, QuestionIndexPage)


def test_citizen_gets_a_tracking_code_and_looks_it_up(client, questions_page, solved):
    response = ask(client, questions_page, solved)
    assert response.status_code == 200
    code = re.search(r"HD-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}", response.content.decode()).group()
    question = Question.objects.get()
    assert question.tracking_code == code and question.status == Question.Status.RECEIVED
    lookup = client.post(questions_page.url + "tra-cuu/", {"code": code.lower().replace("-", " ")})
    assert "Mới tiếp nhận" in lookup.content.decode()


def test_tracking_codes_are_unguessable_and_readable():
    codes = {Question._meta.get_field("tracking_code").default() for _ in range(500)}
    assert len(codes) == 500
    assert all(normalise_code(code.lower()) == code for code in codes)


def test_unknown_code_gives_a_message(client, questions_page):
    response = client.post(questions_page.url + "tra-cuu/", {"code": "HD-2222-2222-22"})
    assert "Không tìm thấy câu hỏi với mã này" in response.content.decode()


def test_due_date_is_fifteen_working_days(site_schema):
    import datetime as dt
    from zoneinfo import ZoneInfo

    asked = dt.datetime(2026, 2, 10, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    question = make_question(submitted_at=asked)
    # 11, 12, 13/2, then Tết to 22/2; 23/2 … 10/3 gives the other 12 days.
    assert question.due_date == dt.date(2026, 3, 10)


def test_published_answer_is_listed_searchable_without_contact(client, questions_page):
    make_question(answer="Nộp hồ sơ tại Sở Tư pháp.", status=Question.Status.PUBLISHED)
    make_question(title="Câu hỏi chưa trả lời về hộ tịch", status=Question.Status.ASSIGNED,
                  department="Tư pháp")  # fmt: skip
    page = client.get(questions_page.url + "?q=nuoc ngoai").content.decode()
    assert "Đăng ký kết hôn với người nước ngoài" in page
    assert "Tư pháp – hộ tịch" in page
    assert "chưa trả lời" not in page
    detail = client.get(questions_page.url + f"{Question.objects.get(status='published').pk}/")
    body = detail.content.decode()
    assert "Nộp hồ sơ tại Sở Tư pháp." in body
    for private in ("Phạm Văn Nam", "nam@example.vn", "0911222333"):
        assert private not in body and private not in page


def test_unpublished_answer_is_not_reachable(client, questions_page):
    question = make_question(answer="Bản nháp", status=Question.Status.DRAFTED)
    assert client.get(questions_page.url + f"{question.pk}/").status_code == 404


def test_overdue_question_stands_out_in_admin(site_schema):
    import datetime as dt

    from django.utils import timezone

    old = make_question(submitted_at=timezone.now() - dt.timedelta(days=60))
    assert old.is_overdue()
    assert "QUÁ HẠN" in str(old.deadline_column())
    assert "participation-deadline--overdue" in str(old.deadline_column())
    assert "style=" not in str(old.deadline_column())
    fresh = make_question(title="Câu hỏi mới")
    assert "QUÁ HẠN" not in str(fresh.deadline_column())
    close = make_question(title="Gần đến hạn", submitted_at=timezone.now() - dt.timedelta(days=19))
    assert "participation-deadline--due-soon" in str(close.deadline_column())


def test_reminder_is_sent_once_before_deadline(site_schema):
    import datetime as dt

    from django.utils import timezone

    from tasks.participation import remind_deadlines

    get_user_model().objects.create_superuser("truongphong", "tp@example.vn", "x")
    make_question(title="Sắp đến hạn", submitted_at=timezone.now() - dt.timedelta(days=19))
    make_question(title="Còn xa hạn")
    assert remind_deadlines(site_schema.schema_name) == 1
    assert "Sắp đến hạn" in mail.outbox[-1].body and "Còn xa hạn" not in mail.outbox[-1].body
    assert remind_deadlines(site_schema.schema_name) == 0
