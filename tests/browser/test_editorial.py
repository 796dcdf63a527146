"""Collaborator submits, editor asks for changes, author resubmits, head approves: live."""

import pytest
from django_tenants.utils import schema_context

from tests.browser.conftest import click_and_submit_once, wait_until
from tests.committed import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-bien-tap-2026"
TITLE = "Ngày hội đại đoàn kết toàn dân tộc"


@pytest.fixture
def board(sites, django_db_blocker):
    """Three committed accounts and a category assigned to the collaborator."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from component_sites.editorial.models import CategoryAssignment
    from component_sites.editorial.roles import COLLABORATOR, EDITOR, HEAD
    from component_sites.news.models import ArticlePage
    from tests.component_sites.factories import make_category

    schema = sites.direct_commune.schema_name
    accounts = [("ctv", COLLABORATOR), ("btv", EDITOR), ("truongban", HEAD)]

    def create():
        with schema_context(schema):
            for username, role in accounts:
                user = get_user_model().objects.create_user(
                    username, password=PASSWORD, email=f"{username}@doclap.vn"
                )
                user.groups.add(Group.objects.get(name=role))
            category = make_category("Tin đoàn thể")
            CategoryAssignment.objects.create(
                user=get_user_model().objects.get(username="ctv"), category=category
            )
            return category.pk

    def clean_up():
        from wagtail.models import Page, PageSubscription, WorkflowState

        with schema_context(schema):
            PageSubscription.objects.filter(user__username__in=[u for u, _r in accounts]).delete()
            for article in ArticlePage.objects.filter(title__startswith=TITLE):
                WorkflowState.objects.filter(object_id=str(article.pk)).delete()
                article.delete()
            Page.objects.filter(title="Tin đoàn thể").delete()
            Group.objects.filter(name__startswith="Cộng tác viên · chuyên mục").delete()
            get_user_model().objects.filter(username__in=[u for u, _r in accounts]).delete()

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
    """The whole edit form is posted with an action: wait until the rich-text editors have
    loaded the body (or it would be posted empty) and the page's scripts are idle."""
    page.locator(".public-DraftEditor-content").first.wait_for()
    page.wait_for_load_state("networkidle")


def _press(page, selector):
    """Open a dialog from an action of the footer menu (some sit in a closed dropdown)."""
    _editor_ready(page)
    page.locator(selector).first.evaluate("button => button.click()")


def _submit(page, selector):
    """Post the edit form with a footer action, once, and wait for the next page."""
    _editor_ready(page)
    click_and_submit_once(page, page.locator(selector).first)


def _workflow_action(page, action, comment=""):
    if comment:
        _press(page, f'button[data-workflow-action-name="{action}"]')
        page.locator("textarea[name=comment]").fill(comment)
        # A real click (Playwright does not repeat one that happened): the modal's form.
        with page.expect_navigation():
            page.locator(".modal form button[type=submit]").click()
    else:
        _submit(
            page,
            f'button[data-workflow-action-name="{action}"]:not([data-workflow-action-modal-url])',
        )


def test_collaborator_editor_head_publish_an_article(
    live_server_port, page, screenshot, board, sites
):
    host = f"http://{sites.direct_commune.primary_domain}:{live_server_port}"
    _login(page, host, "ctv")
    page.goto(f"{host}/admin/pages/add/news/articlepage/{board}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "Khu dân cư số 3 tổ chức ngày hội.")
    # The tab's id follows its (translated) heading: match the body's section by its end.
    page.locator('[id$="-body-section"] button.c-sf-add-button').first.click()
    page.get_by_role("option", name="Đoạn văn").click()
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.type("Bà con phấn khởi tham gia ngày hội.")
    # Draftail copies its content into the form when the editor loses focus.
    page.locator("#id_lead").click()
    page.wait_for_function(
        "() => (document.querySelector('input[name=body-0-value]')?.value || '').includes('phấn')"
    )
    screenshot("editorial-collaborator-writes")
    _submit(page, 'button[name="action-submit"]')
    article_id = wait_until(
        lambda: committed(lambda: _article_id(sites)), message="the article was created"
    )
    wait_until(
        lambda: committed(lambda: _workflow_status(sites, article_id)) == "in_progress",
        message="the article is in the review workflow",
    )

    _login(page, host, "btv")
    page.goto(f"{host}/admin/pages/{article_id}/edit/")
    page.locator(".public-DraftEditor-content").first.wait_for()
    _workflow_action(page, "reject", "Bổ sung nguồn tin.")
    screenshot("editorial-editor-rejects")
    assert committed(lambda: _live(sites, article_id)) is False

    _login(page, host, "ctv")
    page.goto(f"{host}/admin/pages/{article_id}/edit/")
    assert committed(lambda: _rejection_comment(sites, article_id)) == "Bổ sung nguồn tin."
    screenshot("editorial-collaborator-fixes")
    page.fill("#id_source", "Ban công tác Mặt trận khu dân cư số 3")
    _submit(page, 'button[name="action-submit"]')

    _login(page, host, "btv")
    page.goto(f"{host}/admin/pages/{article_id}/edit/")
    _workflow_action(page, "approve")

    _login(page, host, "truongban")
    page.goto(f"{host}/admin/pages/{article_id}/edit/")
    _workflow_action(page, "approve")
    screenshot("editorial-head-approves")
    wait_until(lambda: committed(lambda: _live(sites, article_id)), message="the article is live")

    page.context.clear_cookies()
    page.goto(f"{host}/tin-tuc/tin-doan-the/")
    page.get_by_role("link", name=TITLE).first.click()
    assert page.locator("h1").inner_text() == TITLE
    assert "Ban công tác Mặt trận khu dân cư số 3" in page.content()
    screenshot("editorial-article-live")


def _article_id(sites):
    from component_sites.news.models import ArticlePage

    with schema_context(sites.direct_commune.schema_name):
        article = ArticlePage.objects.filter(title=TITLE).first()
        return article.pk if article else None


def _live(sites, article_id):
    from component_sites.news.models import ArticlePage

    with schema_context(sites.direct_commune.schema_name):
        return ArticlePage.objects.get(pk=article_id).live


def _workflow_status(sites, article_id):
    from wagtail.models import WorkflowState

    with schema_context(sites.direct_commune.schema_name):
        state = WorkflowState.objects.filter(object_id=str(article_id)).order_by("-pk").first()
        return state.status if state else None


def _rejection_comment(sites, article_id):
    from wagtail.models import TaskState

    with schema_context(sites.direct_commune.schema_name):
        state = TaskState.objects.filter(
            workflow_state__object_id=str(article_id), status=TaskState.STATUS_REJECTED
        ).first()
        return state.comment if state else None
