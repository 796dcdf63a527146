"""The head of the board submits an article: no "Xuất bản" and no bypass is offered; the
editor and another head approve it, and only then does it go live (issue 13, item 14)."""

import pytest
from django_tenants.utils import schema_context

from tests.browser.conftest import click_and_submit_once
from tests.committed import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-bien-tap-2026"
TITLE = "Hội nghị tổng kết công tác dân vận"
CATEGORY = "Tin dân vận"
ACCOUNTS = [("tb.viet", "head"), ("btv.duyet", "editor"), ("tb.duyet", "head")]


@pytest.fixture
def board(sites, django_db_blocker):
    """Two heads and an editor (committed, for the live server), and a news category."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from component_sites.editorial.roles import EDITOR, HEAD
    from component_sites.news.models import ArticlePage
    from tests.component_sites.factories import make_category

    schema = sites.direct_commune.schema_name
    groups = {"head": HEAD, "editor": EDITOR}

    def create():
        with schema_context(schema):
            for username, role in ACCOUNTS:
                user = get_user_model().objects.create_user(
                    username, password=PASSWORD, email=f"{username}@doclap.vn"
                )
                user.groups.add(Group.objects.get(name=groups[role]))
            return make_category(CATEGORY).pk

    def clean_up():
        from wagtail.models import Page, PageSubscription, WorkflowState

        names = [u for u, _r in ACCOUNTS]
        with schema_context(schema):
            PageSubscription.objects.filter(user__username__in=names).delete()
            for article in ArticlePage.objects.filter(title=TITLE):
                WorkflowState.objects.filter(object_id=str(article.pk)).delete()
                article.delete()
            Page.objects.filter(title=CATEGORY).delete()
            get_user_model().objects.filter(username__in=names).delete()

    with django_db_blocker.unblock():
        category_id = committed(create)
    yield category_id
    with django_db_blocker.unblock():
        committed(clean_up)


def _login(page, host, username):
    page.context.clear_cookies()
    page.goto(f"{host}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{host}/admin/")


def _editor_ready(page):
    page.locator(".public-DraftEditor-content").first.wait_for()
    page.wait_for_load_state("networkidle")


def _no_publish_offered(page):
    assert page.locator('button[name="action-publish"]').count() == 0
    assert page.locator('a[href*="/admin/bien-tap/xuat-ban-khan/"]').count() == 0


def _approve(page):
    _editor_ready(page)
    click_and_submit_once(
        page,
        page.locator(
            'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
        ).first,
    )


def test_head_submits_and_only_other_reviewers_publish(
    live_server_port, page, screenshot, board, sites
):
    host = f"http://{sites.direct_commune.primary_domain}:{live_server_port}"
    _login(page, host, "tb.viet")
    page.goto(f"{host}/admin/pages/add/news/articlepage/{board}/")
    page.locator("#id_title").wait_for()
    page.wait_for_load_state("networkidle")
    _no_publish_offered(page)
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "Ban dân vận tổng kết công tác năm.")
    # The tab's id follows its (translated) heading: match the body's section by its end.
    page.locator('[id$="-body-section"] button.c-sf-add-button').first.click()
    page.get_by_role("option", name="Đoạn văn").click()
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.type("Hội nghị đánh giá kết quả công tác dân vận.")
    page.locator("#id_lead").click()
    page.wait_for_function(
        "() => (document.querySelector('input[name=body-0-value]')?.value || '')"
        ".includes('Hội nghị')"
    )
    click_and_submit_once(page, page.locator('button[name="action-submit"]').first)
    article_id = committed(lambda: _article_id(sites))
    assert article_id, "the article was not created"

    # The author, head of the board, sees neither "Xuất bản" nor any bypass now.
    page.goto(f"{host}/admin/pages/{article_id}/edit/")
    page.locator("footer .actions").wait_for()
    _no_publish_offered(page)
    assert page.locator('button[data-workflow-action-name="approve"]').count() == 0
    screenshot("review-head-author-no-publish")
    assert committed(lambda: _live(sites, article_id)) is False

    _login(page, host, "btv.duyet")
    page.goto(f"{host}/admin/pages/{article_id}/edit/")
    _approve(page)
    assert committed(lambda: _live(sites, article_id)) is False

    _login(page, host, "tb.duyet")
    page.goto(f"{host}/admin/pages/{article_id}/edit/")
    _approve(page)
    screenshot("review-other-head-approves")
    assert committed(lambda: _live(sites, article_id)) is True


def _article_id(sites):
    from component_sites.news.models import ArticlePage

    with schema_context(sites.direct_commune.schema_name):
        article = ArticlePage.objects.filter(title=TITLE).first()
        return article.pk if article else None


def _live(sites, article_id):
    from component_sites.news.models import ArticlePage

    with schema_context(sites.direct_commune.schema_name):
        return ArticlePage.objects.get(pk=article_id).live
