"""Questions as a state machine: who takes which step, refused steps change nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from component_sites.editorial.roles import CLERK, COLLABORATOR, EDITOR, HEAD
from component_sites.participation import question_flow
from component_sites.participation.models import Question
from component_sites.participation.question_flow import StepRefused
from tests.component_sites.editorial.helpers import user
from tests.component_sites.participation.test_questions import make_question

pytestmark = pytest.mark.django_db

S = Question.Status


@pytest.fixture
def board(site_schema):
    head = user("truongban", HEAD)
    head.first_name, head.last_name = "Lan", "Trần Thị"
    head.save()
    editor = user("btv", EDITOR)
    editor.first_name, editor.last_name = "Minh", "Nguyễn Văn"
    editor.save()
    return {
        "head": head,
        "editor": editor,
        "clerk": user("canbo", CLERK),
        "collaborator": user("ctv", COLLABORATOR),
    }


def fresh(question):
    return Question.objects.get(pk=question.pk)


def test_the_whole_flow_by_the_roles(board):
    question = make_question()
    assert question.status == S.RECEIVED
    question_flow.apply(question, "assign", board["head"], assignee=board["editor"])
    question = fresh(question)
    question_flow.apply(question, "submit_draft", board["editor"], answer="Nộp tại một cửa.")
    question = fresh(question)
    question_flow.apply(question, "approve", board["head"])
    question_flow.apply(fresh(question), "publish", board["head"])
    question = fresh(question)
    assert (question.status, question.assignee, question.approved_by) == (
        S.PUBLISHED,
        board["editor"],
        board["head"],
    )
    assert question.answered_at
    steps = ModelLogEntry.objects.filter(object_id=str(question.pk)).order_by("timestamp")
    assert [entry.action for entry in steps] == [
        "participation.assign",
        "participation.draft",
        "participation.approve",
        "participation.publish",
    ]


def refused(question, step, by, **data):
    before = {f.attname: getattr(fresh(question), f.attname) for f in Question._meta.fields}
    with pytest.raises(StepRefused) as caught:
        question_flow.apply(fresh(question), step, by, **data)
    after = {f.attname: getattr(fresh(question), f.attname) for f in Question._meta.fields}
    assert after == before, "a refused step changed the question"
    assert not ModelLogEntry.objects.filter(object_id=str(question.pk)).exists()
    return str(caught.value)


def test_publishing_a_new_question_is_refused(board):
    message = refused(make_question(answer="Có"), "publish", board["head"])
    assert message == "Không thể công khai câu hỏi đang ở trạng thái “Mới tiếp nhận”."


def test_an_editor_cannot_approve(board):
    question = make_question(status=S.DRAFTED, assignee=board["editor"], answer="Dự thảo")
    assert "không có quyền duyệt" in refused(question, "approve", board["editor"])


def test_only_the_assignee_drafts(board):
    question = make_question(status=S.ASSIGNED, assignee=board["editor"])
    message = refused(question, "submit_draft", board["clerk"], answer="Trả lời")
    assert message.startswith("Chỉ người được phân công")


def test_a_draft_needs_an_answer(board):
    question = make_question(status=S.ASSIGNED, assignee=board["editor"])
    assert "Cần có nội dung trả lời" in refused(question, "submit_draft", board["editor"])


def test_a_collaborator_cannot_be_assigned(board):
    message = refused(make_question(), "assign", board["head"], assignee=board["collaborator"])
    assert "không thuộc vai trò trả lời" in message


def test_an_editor_cannot_assign(board):
    message = refused(make_question(), "assign", board["editor"], assignee=board["clerk"])
    assert message == "Bạn không có quyền phân công, chuyển hoặc từ chối câu hỏi."


def test_refusal_needs_a_reason(board):
    assert "lý do" in refused(make_question(), "refuse", board["head"], refusal_reason="  ")


def test_transfer_and_send_back(board):
    question = make_question()
    question_flow.apply(question, "assign", board["head"], assignee=board["editor"])
    question_flow.apply(fresh(question), "assign", board["head"], assignee=board["clerk"])
    question = fresh(question)
    assert (question.status, question.assignee) == (S.ASSIGNED, board["clerk"])
    question_flow.apply(question, "submit_draft", board["clerk"], answer="Bản nháp")
    question_flow.apply(fresh(question), "send_back", board["head"])
    assert fresh(question).status == S.ASSIGNED


def test_assignee_list_holds_only_staff_who_answer(board):
    names = set(question_flow.answerers().values_list("username", flat=True))
    assert {"truongban", "btv", "canbo"} <= names
    assert "ctv" not in names


def _form(by, question, **data):
    from component_sites.participation.wagtail_hooks import QuestionViewSet

    form_class = QuestionViewSet().get_edit_handler().get_form_class()
    values = {
        "field": question.field,
        "department": question.department,
        "assignee": question.assignee_id or "",
        "answer": question.answer,
        "progress_note": "",
        "refusal_reason": "",
        "public_title": "",
        "public_text": "",
        "action": "",
        **data,
    }
    return form_class(values, instance=question, for_user=by)


def test_the_form_has_no_free_status_and_keeps_the_citizens_words(board):
    question = make_question()
    form = _form(board["head"], question, title="Sửa tiêu đề", text="Sửa nội dung")
    assert "status" not in form.fields and "title" not in form.fields and "text" not in form.fields
    assert [name for name, _label in form.fields["action"].widget.choices] == [
        "",
        "assign",
        "refuse",
    ]
    assert form.is_valid(), form.errors
    form.save()
    assert fresh(question).title == "Đăng ký kết hôn với người nước ngoài"


def test_the_form_offers_the_assignee_by_full_name(board):
    form = _form(board["head"], make_question())
    labels = [label for _value, label in form.fields["assignee"].choices]
    assert "Minh Nguyễn Văn (btv)" in labels and not any("ctv" in label for label in labels)


def test_changing_the_assignee_without_the_step_is_refused(board):
    question = make_question()
    form = _form(board["head"], question, assignee=board["editor"].pk)
    assert not form.is_valid()
    assert "Phân công / chuyển người xử lý" in str(form.errors["assignee"])
    assert fresh(question).assignee is None


def test_the_form_assigns_and_the_public_version_is_published(
    board, eager, django_capture_on_commit_callbacks
):
    question = make_question()
    form = _form(board["head"], question, assignee=board["editor"].pk, action="assign")
    assert form.is_valid(), form.errors
    form.save()
    question = fresh(question)
    form = _form(
        board["editor"], question, answer="Nộp hồ sơ tại Sở Tư pháp.", action="submit_draft"
    )
    assert form.is_valid(), form.errors
    form.save()
    question = fresh(question)
    for step in ("approve", "publish"):
        form = _form(
            board["head"], question, public_title="Kết hôn với người nước ngoài", action=step
        )
        assert form.is_valid(), form.errors
        with django_capture_on_commit_callbacks(execute=True):
            form.save()
        question = fresh(question)
    assert question.status == S.PUBLISHED and question.approved_by == board["head"]
    assert any("đã được trả lời" in message.subject for message in mail.outbox)
    assert question.shown_title == "Kết hôn với người nước ngoài"
    assert question.title == "Đăng ký kết hôn với người nước ngoài"


def test_a_forged_step_is_a_form_error(board):
    question = make_question()
    form = _form(board["editor"], question, answer="x", action="publish")
    assert not form.is_valid()
    assert "Không thể công khai" in str(form.errors)
    assert fresh(question).status == S.RECEIVED


def test_an_assigned_editor_opens_the_question(board, client):
    question = make_question()
    question_flow.apply(question, "assign", board["head"], assignee=board["editor"])
    client.force_login(board["editor"])
    response = client.get(f"/admin/snippets/participation/question/edit/{question.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "ngày làm việc" in body and "Gửi dự thảo trả lời để duyệt" in body


def test_list_filters_overdue_and_search_ignores_diacritics(board, client):
    old = make_question(
        title="Cấp giấy chứng nhận quyền sử dụng đất",
        submitted_at=timezone.now() - dt.timedelta(days=60),
    )
    make_question(title="Hỏi về hộ tịch")
    client.force_login(board["head"])
    url = "/admin/snippets/participation/question/"
    overdue = client.get(url, {"overdue": "quahan"}).content.decode()
    assert old.tracking_code in overdue and "Hỏi về hộ tịch" not in overdue
    # Overdue in red through the app's admin stylesheet, never an inline style.
    assert 'class="participation-deadline participation-deadline--overdue' in overdue
    assert "participation/admin.css" in overdue
    found = client.get(url, {"q": "quyen su dung dat"}).content.decode()
    assert old.tracking_code in found and "Hỏi về hộ tịch" not in found
    mine = client.get(url, {"assignee": board["editor"].pk}).content.decode()
    assert old.tracking_code not in mine


def test_old_states_are_migrated(site_schema):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "component_sites.participation.migrations.0006_question_state_machine"
    )
    first, second = make_question(), make_question(title="Khác")
    Question.objects.filter(pk=first.pk).update(status="new")
    Question.objects.filter(pk=second.pk).update(status="rejected")
    migration.rename_states(apps, None)
    assert fresh(first).status == S.RECEIVED and fresh(second).status == S.REFUSED
