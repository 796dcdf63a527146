"""The review rule cannot be bypassed (issue 13, item 14).

Articles under the "Duyệt tin bài" workflow are published by its last approval only: no
role (head, site admin, superuser of the site) is offered "Xuất bản", a posted publish is
refused before anything is saved, bulk publish and published copies are refused.  Where the
rules allow a bypass (``EDITORIAL_BYPASS_PAGE_TYPES``) it is an explicit action with a
reason, recorded in Wagtail's audit log.
"""

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.models import PageLogEntry, Revision, WorkflowState

from component_sites.editorial import review
from component_sites.editorial.roles import EDITOR, HEAD, SITE_ADMIN
from component_sites.news.models import ArticlePage
from tests.component_sites.editorial.helpers import act, draft_article, submit
from tests.component_sites.factories import make_category

from .helpers import account, admin_client

pytestmark = pytest.mark.django_db

PUBLISH_BUTTON = 'name="action-publish"'


@pytest.fixture
def commune(sites):
    with schema_context(sites.commune.schema_name):
        yield sites.commune


def _refused(response) -> bool:
    """Wagtail answers a refused admin view with a redirect to the dashboard (or 403)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == "/admin/"
    )


def _revisions(article):
    return Revision.objects.filter(object_id=str(article.pk)).count()


@pytest.mark.parametrize("role", ["head", "site_admin", "superuser"])
def test_no_role_publishes_an_article_under_review_from_the_edit_screen(commune, role):
    category = make_category("Tin duyệt")
    head = account("tb.mot", HEAD)
    user = {
        "head": head,
        "site_admin": account("qt.mot", SITE_ADMIN),
        "superuser": get_user_model().objects.get(username="quantri"),
    }[role]
    article = draft_article(category, head, title="Bài của trưởng ban")
    submit(article, head)
    client = admin_client(commune, user)
    edit = client.get(f"/admin/pages/{article.pk}/edit/")
    assert edit.status_code == 200
    assert PUBLISH_BUTTON not in edit.content.decode()
    before = _revisions(article)
    refused = client.post(
        f"/admin/pages/{article.pk}/edit/",
        {"title": "Sửa rồi xuất bản", "action-publish": "action-publish"},
        follow=True,
    )
    assert review.REFUSED in refused.content.decode()
    article.refresh_from_db()
    assert not article.live
    assert article.title == "Bài của trưởng ban"
    assert _revisions(article) == before  # nothing saved
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.parametrize("role", ["head", "site_admin", "superuser"])
def test_no_role_creates_and_publishes_an_article_in_one_go(commune, role):
    category = make_category("Tin mới")
    user = {
        "head": lambda: account("tb.hai", HEAD),
        "site_admin": lambda: account("qt.hai", SITE_ADMIN),
        "superuser": lambda: get_user_model().objects.get(username="quantri"),
    }[role]()
    client = admin_client(commune, user)
    url = f"/admin/pages/add/news/articlepage/{category.pk}/"
    add = client.get(url)
    assert add.status_code == 200
    assert PUBLISH_BUTTON not in add.content.decode()
    before = ArticlePage.objects.count()
    refused = client.post(
        url, {"title": "Bài đăng thẳng", "action-publish": "action-publish"}, follow=True
    )
    assert review.REFUSED in refused.content.decode()
    assert ArticlePage.objects.count() == before


def test_pages_outside_the_rule_are_still_published_directly(commune):
    """A head still publishes a news category (not an article) and pages outside news."""
    head = account("tb.ba", HEAD)
    category = make_category("Chuyên mục cha")
    client = admin_client(commune, head)
    add = client.get(f"/admin/pages/add/news/newscategorypage/{category.pk}/")
    assert PUBLISH_BUTTON in add.content.decode()


def test_bulk_publish_refuses_articles_under_review(commune):
    category = make_category("Tin hàng loạt")
    head = account("tb.bon", HEAD)
    article = draft_article(category, head, title="Bài hàng loạt")
    client = admin_client(commune, head)
    response = client.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={article.pk}&next=/admin/pages/",
        {},
        follow=True,
    )
    assert "Không xuất bản hàng loạt được bài viết phải qua duyệt" in response.content.decode()
    article.refresh_from_db()
    assert not article.live


def test_copies_of_articles_are_not_published_without_review(commune):
    category = make_category("Tin sao chép")
    head = account("tb.nam", HEAD)
    article = draft_article(category, head, title="Bài gốc")
    client = admin_client(commune, head)
    before = ArticlePage.objects.count()
    response = client.post(
        f"/admin/pages/{article.pk}/copy/",
        {
            "new_title": "Bài sao",
            "new_slug": "bai-sao",
            "new_parent_page": str(category.pk),
            "publish_copies": "on",
        },
        follow=True,
    )
    assert review.COPY_REFUSED in response.content.decode()
    assert ArticlePage.objects.count() == before


def test_the_workflow_still_publishes_after_another_reviewer_approves(commune):
    category = make_category("Tin quy trình")
    head, other_head, editor = (
        account("tb.sau", HEAD),
        account("tb.bay", HEAD),
        account("btv.sau", EDITOR),
    )
    article = draft_article(category, head, title="Bài qua duyệt")
    submit(article, head)
    act(article, editor, "approve")
    act(article, other_head, "approve")
    article.refresh_from_db()
    assert article.live


def test_no_bypass_is_offered_where_the_rules_allow_none(commune):
    category = make_category("Tin không khẩn")
    admin = account("qt.ba", SITE_ADMIN)
    article = draft_article(category, admin, title="Bài thường")
    client = admin_client(commune, admin)
    assert "xuat-ban-khan" not in client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    response = client.post(
        f"/admin/bien-tap/xuat-ban-khan/{article.pk}/", {"reason": "Cần đăng gấp cho dân biết."}
    )
    assert _refused(response)
    article.refresh_from_db()
    assert not article.live


def test_an_allowed_bypass_is_explicit_and_audited(commune, settings):
    settings.EDITORIAL_BYPASS_PAGE_TYPES = ["news.ArticlePage"]
    category = make_category("Tin khẩn")
    head, admin = account("tb.tam", HEAD), account("qt.bon", SITE_ADMIN)
    article = draft_article(category, head, title="Thông báo bão khẩn")
    submit(article, head)
    url = f"/admin/bien-tap/xuat-ban-khan/{article.pk}/"
    # The head is not among those the rules let bypass review.
    head_client = admin_client(commune, head)
    assert url not in head_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert _refused(head_client.post(url, {"reason": "Bão đang vào, đăng ngay."}))
    client = admin_client(commune, admin)
    edit = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert url in edit and PUBLISH_BUTTON not in edit
    no_reason = client.post(url, {"reason": "  "})
    assert no_reason.status_code == 200
    assert "Hãy ghi rõ lý do" in no_reason.content.decode()
    article.refresh_from_db()
    assert not article.live
    done = client.post(url, {"reason": "Bão số 3 đổ bộ trong đêm, cần báo ngay cho dân."})
    assert done.status_code == 302
    article.refresh_from_db()
    assert article.live
    entry = PageLogEntry.objects.get(page=article, action=review.BYPASS_ACTION)
    assert entry.user_id == admin.pk
    assert entry.data["reason"] == "Bão số 3 đổ bộ trong đêm, cần báo ngay cho dân."
    state = WorkflowState.objects.filter(object_id=str(article.pk)).order_by("-pk").first()
    assert state.status == WorkflowState.STATUS_CANCELLED
