"""Rate limits of the citizen forms count accepted submissions, per visitor.

Failed tries (a wrong captcha, a missing field) cost nothing from the budget and are
throttled on their own, briefly; a whole office behind one address is not one visitor; every
refusal says when to try again.
"""

import datetime as dt

import pytest
from django.test import Client

from component_sites.participation import guards, views
from component_sites.participation.models import Question

from .test_questions import VALID

pytestmark = pytest.mark.django_db


def visitor(site_schema, address="203.0.113.7"):
    """A browser of its own (own cookies) behind ``address``, that has opened the form."""
    browser = Client(HTTP_HOST=site_schema.primary_domain, REMOTE_ADDR=address)
    return browser


def open_form(browser, page):
    response = browser.get(page.url + "dat-cau-hoi/")
    assert guards.VISITOR_COOKIE in response.cookies
    return response


def send(browser, page, solved, **changes):
    return browser.post(page.url + "dat-cau-hoi/", {**VALID, **solved(), **changes})


def accepted(response):
    return 'id="tracking-code"' in response.content.decode()


def test_failed_tries_do_not_use_up_the_budget(site_schema, questions_page, solved):
    # The case: one success and five wrong captchas used to lock a citizen out.
    browser = visitor(site_schema)
    open_form(browser, questions_page)
    assert accepted(send(browser, questions_page, solved, title="Câu hỏi đầu tiên về đất"))
    for _ in range(5):
        response = send(browser, questions_page, solved, captcha_answer="99")
        assert "Câu trả lời kiểm tra chưa đúng" in response.content.decode()
    assert accepted(send(browser, questions_page, solved, title="Câu hỏi thứ hai về đất"))
    assert Question.objects.count() == 2


def test_budget_of_accepted_submissions_says_when_to_try_again(site_schema, questions_page, solved):
    browser = visitor(site_schema)
    open_form(browser, questions_page)
    for number in range(views.QUESTIONS_PER_HOUR):
        assert accepted(send(browser, questions_page, solved, title=f"Câu hỏi số {number} đất"))
    response = send(browser, questions_page, solved, title="Câu hỏi vượt mức cho phép")
    body = response.content.decode()
    assert "đủ số lần cho phép" in body and "sau 60 phút" in body, body[-2000:]
    assert int(response["Retry-After"]) == 3600
    assert Question.objects.count() == views.QUESTIONS_PER_HOUR
    # What was typed is still there.
    assert "Câu hỏi vượt mức cho phép" in body


def test_an_office_behind_one_address_is_not_one_visitor(
    site_schema, questions_page, solved, monkeypatch
):
    monkeypatch.setattr(views, "QUESTIONS_PER_HOUR", 1)
    first, colleague = visitor(site_schema), visitor(site_schema)
    open_form(first, questions_page)
    open_form(colleague, questions_page)
    assert accepted(send(first, questions_page, solved, title="Câu hỏi của người thứ nhất"))
    refused = send(first, questions_page, solved, title="Câu hỏi thứ hai của người đó")
    assert "đủ số lần cho phép" in refused.content.decode()
    assert accepted(send(colleague, questions_page, solved, title="Câu hỏi của đồng nghiệp"))


def test_an_address_still_has_a_ceiling(site_schema, questions_page, solved, monkeypatch):
    monkeypatch.setattr(views, "QUESTIONS_PER_HOUR", 1)
    ceiling = guards.Budget("question", 1, 3600).per_address
    for number in range(ceiling):
        browser = visitor(site_schema)
        open_form(browser, questions_page)
        assert accepted(send(browser, questions_page, solved, title=f"Câu hỏi số {number} ở xã"))
    late = visitor(site_schema)
    open_form(late, questions_page)
    response = send(late, questions_page, solved, title="Câu hỏi sau mức trần")
    assert "đủ số lần cho phép" in response.content.decode()
    # Another address is not affected.
    elsewhere = visitor(site_schema, address="198.51.100.20")
    open_form(elsewhere, questions_page)
    assert accepted(send(elsewhere, questions_page, solved, title="Câu hỏi từ nơi khác"))


def test_many_failed_tries_pause_the_form_briefly(site_schema, questions_page, solved):
    browser = visitor(site_schema)
    open_form(browser, questions_page)
    budget = views.question_budget()
    for _ in range(budget.failure_limit):
        send(browser, questions_page, solved, captcha_answer="99")
    response = send(browser, questions_page, solved)  # right this time, but paused
    body = response.content.decode()
    assert "nhiều lần liên tiếp" in body and "sau 10 phút" in body, body[-2000:]
    assert Question.objects.count() == 0
    # Another visitor behind the same address is not paused.
    colleague = visitor(site_schema)
    open_form(colleague, questions_page)
    assert accepted(send(colleague, questions_page, solved, title="Câu hỏi của đồng nghiệp"))


def test_without_the_cookie_the_address_has_the_small_budget(
    site_schema, questions_page, solved, monkeypatch
):
    monkeypatch.setattr(views, "QUESTIONS_PER_HOUR", 1)
    script = visitor(site_schema)  # posts without ever opening the form: no cookie
    assert accepted(send(script, questions_page, solved, title="Câu hỏi gửi thẳng lần một"))
    response = send(script, questions_page, solved, title="Câu hỏi gửi thẳng lần hai")
    assert "đủ số lần cho phép" in response.content.decode()


def test_refusal_message_in_minutes_then_as_a_vietnamese_date():
    now = dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC).timestamp()
    soon = guards.Refusal(until=now + 25 * 60 + 5, failures=True)
    assert "sau 26 phút" in soon.message(now)
    later = guards.Refusal(until=now + 20 * 3600, failures=False)
    # 01:00 UTC + 20 h = 21:00 UTC = 04:00 the next day in Asia/Ho_Chi_Minh (UTC+7).
    assert "từ 04:00 ngày 04/12/2026" in later.message(now)


def test_lookups_count_every_try_and_say_when(site_schema, section, monkeypatch):
    monkeypatch.setattr(views, "LOOKUPS_PER_HOUR", 1)
    browser = visitor(site_schema)
    url = section("questions").url + "tra-cuu/"
    browser.get(url)
    first = browser.post(url, {"code": "HD-AAAA-BBBB-CC"})
    assert "Không tìm thấy câu hỏi với mã này" in first.content.decode()
    second = browser.post(url, {"code": "HD-AAAA-BBBB-CD"})
    body = second.content.decode()
    assert "đủ số lần cho phép" in body and "sau 60 phút" in body
    assert "Không tìm thấy" not in body
