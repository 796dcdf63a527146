"""Participation e-mails: rendered from templates, plain text + HTML, citizens' text escaped."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from component_sites.participation.models import Question
from tasks.participation import notify_answer, notify_new_question, remind_deadlines

pytestmark = pytest.mark.django_db

HOSTILE = "Hỏi về <script>alert('x')</script> & thủ tục"


def make_question(**fields):
    values = {
        "asker_name": "Phạm <b>Văn</b> Nam",
        "asker_email": "nam@example.vn",
        "asker_phone": "0911222333",
        "field": "tu-phap",
        "title": HOSTILE,
        "text": "Nội dung câu hỏi",
        "fingerprint": "x",
        **fields,
    }
    return Question.objects.create(**values)


def html_part(message):
    (html, mimetype), *rest = message.alternatives
    assert mimetype == "text/html" and not rest
    return html


def assert_escaped(message):
    """The plain part shows the citizen's text as typed, the HTML part only as text."""
    assert HOSTILE in message.body
    html = html_part(message)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; thủ tục" in html
    assert html.lstrip().startswith("<!DOCTYPE html>") and '<html lang="vi">' in html


def test_a_new_question_mails_staff_and_the_citizen_in_both_parts(site_schema):
    get_user_model().objects.create_superuser("truongphong", "tp@example.vn", "x")
    question = make_question()
    assert notify_new_question(site_schema.schema_name, question.pk) == "sent"
    staff, citizen = mail.outbox
    assert "tp@example.vn" in staff.to and citizen.to == ["nam@example.vn"]
    assert staff.subject == f"[{site_schema.name}] Câu hỏi mới {question.tracking_code}"
    assert citizen.subject == f"[{site_schema.name}] Đã nhận câu hỏi {question.tracking_code}"
    due = question.due_date.strftime("%d/%m/%Y")
    assert f"Hạn trả lời: {due} (15 ngày làm việc)." in staff.body
    assert f"Mã tra cứu: {question.tracking_code}" in citizen.body
    assert "Kính gửi Phạm <b>Văn</b> Nam," in citizen.body
    assert "Phạm &lt;b&gt;Văn&lt;/b&gt; Nam" in html_part(citizen)
    for message in (staff, citizen):
        assert_escaped(message)
        assert "\n" not in message.subject


def test_the_answer_mail_keeps_line_breaks_and_escapes_the_answer(site_schema):
    question = make_question(answer="Dòng một <i>nghiêng</i>\nDòng hai")
    assert notify_answer(site_schema.schema_name, question.pk) == "sent"
    (message,) = mail.outbox
    assert message.subject == (
        f"[{site_schema.name}] Câu hỏi {question.tracking_code} đã được trả lời"
    )
    assert "Dòng một <i>nghiêng</i>\nDòng hai" in message.body
    assert "Dòng một &lt;i&gt;nghiêng&lt;/i&gt;<br>Dòng hai" in html_part(message)
    assert_escaped(message)


def test_the_deadline_reminder_lists_each_question_in_both_parts(site_schema):
    get_user_model().objects.create_superuser("truongphong", "tp@example.vn", "x")
    late = make_question(submitted_at=timezone.now() - dt.timedelta(days=60))
    assert remind_deadlines(site_schema.schema_name) == 1
    (message,) = mail.outbox
    assert message.subject == f"[{site_schema.name}] 1 câu hỏi sắp đến hạn trả lời"
    line = f"- {late.tracking_code}: {HOSTILE} — hạn {late.due_date:%d/%m/%Y} (QUÁ HẠN)"
    assert line in message.body.splitlines()
    assert "<strong>(QUÁ HẠN)</strong>" in html_part(message)
    assert_escaped(message)
