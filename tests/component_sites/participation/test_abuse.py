"""Each abuse path of the citizen forms: a clear message on the form and nothing stored."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from component_sites.participation import guards
from component_sites.participation.models import Question
from tests.two_factor import verified_login

from .test_questions import VALID, ask

pytestmark = pytest.mark.django_db


def refused(response, message):
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body, body[-3000:]
    assert 'role="alert"' in body
    assert Question.objects.count() == 0


def png(width, height):
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")
    return SimpleUploadedFile("anh.png", buffer.getvalue(), content_type="image/png")


def test_csrf_is_required(site_schema, questions_page, solved):
    strict = Client(HTTP_HOST=site_schema.primary_domain, enforce_csrf_checks=True)
    response = strict.post(questions_page.url + "dat-cau-hoi/", {**VALID, **solved()})
    assert response.status_code == 403
    assert Question.objects.count() == 0


def test_form_page_is_not_cached(client, questions_page):
    # The CSRF token marks the response private; the page cache must never store it.
    response = client.get(questions_page.url + "dat-cau-hoi/")
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "Vary" in response and "Cookie" in response["Vary"]


def test_honeypot(client, questions_page, solved):
    refused(ask(client, questions_page, solved, website="http://spam.example"), "điền tự động")


def test_wrong_captcha(client, questions_page, solved):
    refused(
        ask(client, questions_page, solved, captcha_answer="99"), "Câu trả lời kiểm tra chưa đúng"
    )


def test_forged_captcha_token(client, questions_page, solved):
    refused(
        ask(client, questions_page, solved, captcha_token="abc:def", captcha_answer="3"),
        "Câu hỏi kiểm tra không hợp lệ",
    )


def test_replayed_captcha(client, questions_page, solved):
    answer = solved()
    assert ask(client, questions_page, lambda: answer).status_code == 200
    Question.objects.all().delete()
    refused(
        ask(client, questions_page, lambda: answer, title="Một câu hỏi khác hẳn"),
        "Câu hỏi kiểm tra đã được dùng",
    )


def test_captcha_answer_in_words(solved):
    from tests.component_sites.participation.conftest import solve

    question, token = guards.new_captcha()
    number = solve(question)
    words = (
        guards.NUMBER_WORDS[number] if number <= 10 else f"mười {guards.NUMBER_WORDS[number - 10]}"
    )
    guards.check_captcha(token, words.upper())


@pytest.mark.parametrize(
    "words, number",
    [("7", 7), ("bảy", 7), ("MƯỜI", 10), ("mười lăm", 15), ("mười bốn", 14), ("mười tư", 14)],
)
def test_numbers_in_words(words, number):
    assert guards.number_from_words(words) == number


@pytest.mark.parametrize("words", ["", "mười mười", "abc", "mười không"])
def test_not_numbers(words):
    assert guards.number_from_words(words) is None


def test_rate_limit(client, questions_page, solved):
    for number in range(5):
        ask(client, questions_page, solved, title=f"Câu hỏi số {number} về đất đai")
    assert Question.objects.count() == 5
    Question.objects.all().delete()
    refused(ask(client, questions_page, solved, title="Câu hỏi thứ sáu"), "đủ số lần cho phép")


def test_duplicate_submission(client, questions_page, solved):
    ask(client, questions_page, solved)
    first = Question.objects.get()
    response = ask(client, questions_page, solved, text=VALID["text"].upper())
    assert "đã được gửi gần đây" in response.content.decode()
    assert list(Question.objects.all()) == [first]


def test_html_is_stripped_and_escaped(client, questions_page, solved):
    ask(client, questions_page, solved, title="<script>alert(1)</script>Hỏi về <b>thuế</b> đất")
    question = Question.objects.get()
    assert question.title == "alert(1)Hỏi về thuế đất"


def test_wrong_file_type(client, questions_page, solved):
    exe = SimpleUploadedFile("don.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused(ask(client, questions_page, solved, attachment=exe), "không đúng định dạng")


def test_zip_disguised_as_docx(client, questions_page, solved):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.js", "x")
    fake = SimpleUploadedFile("don.docx", buffer.getvalue())
    refused(ask(client, questions_page, solved, attachment=fake), "không đúng định dạng")


def test_file_too_large(client, questions_page, solved):
    big = SimpleUploadedFile("don.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1))
    refused(ask(client, questions_page, solved, attachment=big), "quá lớn")


def test_decompression_bomb(client, questions_page, solved):
    refused(ask(client, questions_page, solved, attachment=png(6000, 6000)), "quá lớn")


def test_broken_image(client, questions_page, solved):
    broken = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    refused(ask(client, questions_page, solved, attachment=broken), "bị hỏng")


def test_valid_pdf_is_kept(client, questions_page, solved):
    pdf = SimpleUploadedFile("don.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    ask(client, questions_page, solved, attachment=pdf)
    assert Question.objects.get().attachment.name.endswith(".pdf")


def test_missing_contact(client, questions_page, solved):
    refused(
        ask(client, questions_page, solved, asker_email="", asker_phone=""),
        "thư điện tử hoặc số điện thoại",
    )


def test_an_attachment_is_private_to_staff(client, questions_page, solved, site_schema):
    from django.contrib.auth import get_user_model

    pdf = SimpleUploadedFile("don.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    ask(client, questions_page, solved, attachment=pdf)
    question = Question.objects.get()
    assert question.attachment.name.startswith("private/hoi-dap/")
    public_url = question.attachment.url
    assert client.get(public_url).status_code == 404
    staff_url = f"/admin/participation/question/{question.pk}/attachment/"
    anonymous = client.get(staff_url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    admin = get_user_model().objects.get(username="quantri")
    verified_login(client, admin)
    download = client.get(staff_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert "no-store" in download["Cache-Control"]
