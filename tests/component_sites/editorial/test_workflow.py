"""The approval workflow: collaborator → editor → head → published, through Wagtail's workflows."""

from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import PageLogEntry, Revision, TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from component_sites.editorial.models import CategoryAssignment
from tasks.editorial import notify_workflow_event, publish_scheduled_site
from tests.component_sites.factories import make_category

from .helpers import act, board, draft_article, submit

pytestmark = pytest.mark.django_db


def test_reject_fix_resubmit_approve_publishes(sites):
    with schema_context(sites.commune.schema_name):
        category = make_category("Tin xã")
        collaborator, editor, head = board()
        CategoryAssignment.objects.create(user=collaborator, category=category)
        article = draft_article(category, collaborator)
        submit(article, collaborator)
        rejected = act(article, editor, "reject", comment="Thiếu nguồn tin")
        assert rejected.status == TaskState.STATUS_REJECTED
        assert rejected.comment == "Thiếu nguồn tin"
        article.refresh_from_db()
        assert not article.live
        article.source = "Đài truyền thanh xã"
        article.save_revision(user=collaborator)
        article.current_workflow_state.resume(user=collaborator)
        act(article, editor, "approve")
        act(article, head, "approve")
        article.refresh_from_db()
        assert article.live
        actions = set(PageLogEntry.objects.filter(page=article).values_list("action", flat=True))
        assert {
            "wagtail.workflow.start",
            "wagtail.workflow.reject",
            "wagtail.workflow.resume",
        } <= actions
        assert {"wagtail.workflow.approve", "wagtail.publish"} <= actions


def test_head_cannot_approve_own_submission(sites):
    with schema_context(sites.commune.schema_name):
        category = make_category("Tin ban")
        _collaborator, editor, head = board()
        article = draft_article(category, head, title="Bài của trưởng ban")
        submit(article, head)
        act(article, editor, "approve")
        article.refresh_from_db()
        task_state = article.current_workflow_state.current_task_state
        assert task_state.task.specific.get_actions(article, head) == []
        client = Client(HTTP_HOST=sites.commune.primary_domain)
        client.force_login(head)
    url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk))
    response = client.post(url)
    # Wagtail answers a refused action with a redirect to the dashboard; nothing moves.
    assert response.status_code in (302, 403)
    with schema_context(sites.commune.schema_name):
        task_state.refresh_from_db()
        article.refresh_from_db()
        assert task_state.status == TaskState.STATUS_IN_PROGRESS
        assert not article.live


def test_submitting_without_required_fields_changes_nothing(sites):
    from component_sites.news.models import ArticlePage

    with schema_context(sites.commune.schema_name):
        category = make_category("Tin thiếu")
        collaborator, _editor, _head = board()
        CategoryAssignment.objects.create(user=collaborator, category=category)
        before = ArticlePage.objects.count()
        client = Client(HTTP_HOST=sites.commune.primary_domain)
        client.force_login(collaborator)
    data = nested_form_data(
        {
            "title": "Bài thiếu sapo",
            "slug": "bai-thieu",
            "lead": "",
            "body": streamfield([]),
            "gallery_images": inline_formset([]),
            "related_links": inline_formset([]),
            "comments": inline_formset([]),
            "publication_date": "22/11/2026 08:00",
            "work_kind": "news_item",
        }
    )
    data["action-submit"] = "1"
    response = client.post(f"/admin/pages/add/news/articlepage/{category.pk}/", data)
    assert response.status_code == 200
    assert "lead" in response.context["form"].errors
    with schema_context(sites.commune.schema_name):
        assert ArticlePage.objects.count() == before


def test_events_are_queued_and_mailed_by_the_worker(sites, django_capture_on_commit_callbacks):
    with schema_context(sites.commune.schema_name):
        category = make_category("Tin gửi thư")
        collaborator, editor, _head = board()
        article = draft_article(category, collaborator)
        with (
            mock.patch("tasks.editorial.notify_workflow_event.delay") as delay,
            django_capture_on_commit_callbacks(execute=True),
        ):
            submit(article, collaborator)
            act(article, editor, "reject", comment="Sửa tít")
        events = [call.args[1] for call in delay.call_args_list]
        assert events == ["task_submitted", "workflow_rejected"]
        assert mail.outbox == []  # nothing sent inside the request
        for call in delay.call_args_list:
            notify_workflow_event(*call.args)
    subjects = [message.subject for message in mail.outbox]
    assert any("Bài chờ duyệt" in s for s in subjects)
    rejection = next(m for m in mail.outbox if "Bài cần sửa" in m.subject)
    assert rejection.to == ["ctv@test.vn"]
    assert "Sửa tít" in rejection.body
    assert next(m for m in mail.outbox if "Bài chờ duyệt" in m.subject).to == ["btv@test.vn"]
    for message in mail.outbox:
        (html, mimetype) = message.alternatives[0]
        assert mimetype == "text/html" and "/edit/" in html
    assert "Sửa tít" in rejection.alternatives[0][0]


def test_scheduled_article_goes_live_when_its_time_comes(sites):
    import datetime as dt

    from django.utils import timezone

    with schema_context(sites.commune.schema_name):
        category = make_category("Tin hẹn giờ")
        collaborator, editor, head = board()
        article = draft_article(category, collaborator)
        article.go_live_at = timezone.now() + dt.timedelta(hours=1)
        article.save_revision(user=collaborator)
        submit(article, collaborator)
        act(article, editor, "approve")
        act(article, head, "approve")
        article.refresh_from_db()
        assert not article.live
        scheduled = Revision.objects.filter(
            object_id=str(article.pk), approved_go_live_at__isnull=False
        )
        assert scheduled.count() == 1
        # The clock moves on: the go-live time has passed.
        revision = scheduled.get()
        past = timezone.now() - dt.timedelta(minutes=1)
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])
    publish_scheduled_site(sites.commune.schema_name)
    with schema_context(sites.commune.schema_name):
        article.refresh_from_db()
        assert article.live
