"""After any error a citizen form shows the new captcha question, keeps what was typed and
says which field is wrong (a chosen file: that it must be chosen again)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import solve
from .test_questions import VALID, ask

pytestmark = pytest.mark.django_db


def captcha_label(body: str) -> str:
    found = re.search(r'<label for="id_captcha_answer">(.*?)(?: <span|</label>)', body)
    assert found, body[-3000:]
    return found.group(1)


def test_wrong_captcha_shows_the_new_question_and_keeps_the_values(client, questions_page, solved):
    body = ask(client, questions_page, solved, captcha_answer="99").content.decode()
    question = captcha_label(body)
    assert question.endswith("bằng mấy?"), question
    solve(question)  # a question a person can answer
    assert VALID["title"] in body and VALID["asker_name"] in body
    assert VALID["text"] in body
    assert 'href="#id_captcha_answer"' in body  # the summary names the wrong field
    assert re.search(r'<input[^>]*name="captcha_answer"[^>]*aria-invalid="true"', body)
    assert 'value="99"' not in body  # the old answer is cleared


def test_missing_field_is_named_and_the_new_question_answers(client, questions_page, solved):
    body = ask(client, questions_page, solved, title="").content.decode()
    assert 'href="#id_title"' in body
    assert re.search(r'<input[^>]*name="title"[^>]*aria-invalid="true"', body)
    token = re.search(r'name="captcha_token" value="([^"]+)"', body).group(1)
    answer = str(solve(captcha_label(body)))
    response = client.post(
        questions_page.url + "dat-cau-hoi/",
        {**VALID, "captcha_token": token, "captcha_answer": answer},
    )
    assert 'id="tracking-code"' in response.content.decode()


def test_a_chosen_file_must_be_chosen_again(client, questions_page, solved):
    pdf = SimpleUploadedFile("don-de-nghi.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    body = ask(client, questions_page, solved, attachment=pdf, title="").content.decode()
    assert "Tệp “don-de-nghi.pdf” chưa được gửi: vui lòng chọn lại tệp" in body


@pytest.mark.parametrize(
    "url, data",
    [
        ("/tuong-tac/danh-gia-dich-vu/", {"level": "", "comment": "Trang dễ dùng", "website": ""}),
    ],
)
def test_service_rating_error_shows_the_question(client, site_schema, solved, url, data):
    body = client.post(url, {**data, **solved()}).content.decode()
    assert captcha_label(body).endswith("bằng mấy?")
    assert "Trang dễ dùng" in body
    assert "Vui lòng chọn mức độ hài lòng" in body
    # The choices are a fieldset whose legend is the question; each radio beside its label.
    assert re.search(r'<fieldset class="field choices field--error" id="id_level"', body)
    assert re.search(r'<label class="choices__option" for="id_level_0"><input type="radio"', body)
