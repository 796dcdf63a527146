"""An archived site shows a notice instead of its citizen forms (a POST would answer 403)."""

import pytest

from component_sites.participation.archived import ARCHIVED_MESSAGE
from tenants import lifecycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(site_schema):
    lifecycle.archive(site_schema)
    return site_schema


@pytest.mark.parametrize(
    "path", ["dat-cau-hoi/", "phan-anh-kien-nghi/"], ids=["question", "feedback"]
)
def test_question_forms_give_way_to_a_notice(archived, client, questions_page, path):
    response = client.get(questions_page.url + path)
    body = response.content.decode()
    assert response.status_code == 200
    assert ARCHIVED_MESSAGE in body and "captcha" not in body and '<form method="post"' not in body


def test_questions_index_offers_no_form_link(archived, client, questions_page):
    body = client.get(questions_page.url).content.decode()
    assert "không nhận câu hỏi, phản ánh mới" in body and "dat-cau-hoi/" not in body


def test_service_rating_gives_way_to_a_notice(archived, client):
    body = client.get("/tuong-tac/danh-gia-dich-vu/").content.decode()
    assert ARCHIVED_MESSAGE in body and "captcha" not in body


def test_draft_page_says_why_instead_of_the_comment_form(archived, client, section):
    import datetime as dt

    from django.utils import timezone

    from component_sites.participation.models import DraftPage

    today = timezone.localdate()
    draft = DraftPage(
        title="Dự thảo quy chế",
        agency="UBND xã",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=10),
        body="<p>Điều 1.</p>",
    )
    section("drafts").add_child(instance=draft)
    body = client.get(draft.url).content.decode()
    assert ARCHIVED_MESSAGE in body and "Gửi góp ý</button>" not in body


def test_an_active_site_still_shows_the_form(site_schema, client, questions_page):
    body = client.get(questions_page.url + "dat-cau-hoi/").content.decode()
    assert ARCHIVED_MESSAGE not in body and "Gửi câu hỏi" in body


def test_an_archived_site_still_answers_a_lookup_by_code(archived, client, questions_page):
    from tests.component_sites.participation.test_questions import make_question

    question = make_question()
    page = client.get(questions_page.url + "tra-cuu/").content.decode()
    assert '<form method="get"' in page and "csrfmiddlewaretoken" not in page
    found = client.get(questions_page.url + "tra-cuu/", {"code": question.tracking_code.lower()})
    assert found.status_code == 200 and question.title in found.content.decode()
