"""Feedback and petitions (phản ánh, kiến nghị): routed like questions, same guards."""

import re

import pytest

from component_sites.participation.models import Question, normalise_code

pytestmark = pytest.mark.django_db

VALID = {
    "asker_name": "Trần Văn Bình",
    "asker_email": "binh@example.vn",
    "asker_phone": "0912345678",
    "field": "xay-dung",
    "title": "Đèn đường thôn Đông bị hỏng",
    "text": "Đèn chiếu sáng trên đường thôn Đông hỏng hơn một tháng, đề nghị sửa chữa.",
    "website": "",
}


def send(client, page, solved, **changes):
    return client.post(page.url + "phan-anh-kien-nghi/", {**VALID, **solved(), **changes})


def test_form_is_shown_with_guards(client, questions_page):
    body = client.get(questions_page.url + "phan-anh-kien-nghi/").content.decode()
    assert "Gửi phản ánh, kiến nghị" in body
    assert 'name="website"' in body and 'name="captcha_token"' in body
    assert "csrfmiddlewaretoken" in body


def test_feedback_gets_a_pa_code_the_workflow_and_a_lookup(client, questions_page, solved):
    response = send(client, questions_page, solved)
    body = response.content.decode()
    assert response.status_code == 200 and "Đã nhận phản ánh, kiến nghị" in body
    code = re.search(r"PA-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}", body).group()
    item = Question.objects.get()
    assert item.kind == Question.Kind.FEEDBACK and item.tracking_code == code
    assert item.status == Question.Status.RECEIVED and item.due_date > item.submitted_at.date()
    lookup = client.post(questions_page.url + "tra-cuu/", {"code": code.lower()})
    text = lookup.content.decode()
    assert "Phản ánh, kiến nghị" in text and "Mới tiếp nhận" in text
    # Contact data never reaches the public lookup.
    assert "binh@example.vn" not in text and "0912345678" not in text


def test_question_codes_still_work(client, questions_page, solved):
    assert normalise_code("hd 7k4m q9xz rt") == "HD-7K4M-Q9XZ-RT"
    assert normalise_code("pa-7k4m-q9xz-rt") == "PA-7K4M-Q9XZ-RT"
    # A bare code that happens to start with PA is not mistaken for a prefix.
    assert normalise_code("PA4MQ9XZRT") == "HD-PA4M-Q9XZ-RT"


def refused(response, message):
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body, body[-3000:]
    assert 'role="alert"' in body
    assert Question.objects.count() == 0


def test_honeypot(client, questions_page, solved):
    refused(send(client, questions_page, solved, website="http://spam.example"), "điền tự động")


def test_wrong_captcha(client, questions_page, solved):
    refused(send(client, questions_page, solved, captcha_answer="99"), "Câu trả lời kiểm tra")


def test_html_is_stripped(client, questions_page, solved):
    send(client, questions_page, solved, text="<script>alert(1)</script>" + VALID["text"])
    assert "<script>" not in Question.objects.get().text


def test_too_short(client, questions_page, solved):
    refused(
        send(client, questions_page, solved, text="ngắn"), "Nội dung phản ánh, kiến nghị quá ngắn"
    )


def test_contact_required(client, questions_page, solved):
    refused(
        send(client, questions_page, solved, asker_email="", asker_phone=""),
        "Vui lòng cho biết thư điện tử hoặc số điện thoại",
    )


def test_duplicate(client, questions_page, solved):
    assert send(client, questions_page, solved).status_code == 200
    response = send(client, questions_page, solved)
    assert "Phản ánh, kiến nghị có cùng tiêu đề và nội dung" in response.content.decode()
    assert Question.objects.count() == 1


def test_rate_limit_is_shared_with_questions(client, questions_page, solved, monkeypatch):
    from component_sites.participation import views

    monkeypatch.setattr(views, "QUESTIONS_PER_HOUR", 1)
    assert send(client, questions_page, solved).status_code == 200
    Question.objects.all().delete()
    from .test_questions import ask

    refused(ask(client, questions_page, solved), "đủ số lần cho phép")
