"""The steps of a question (state machine) and who may take each one.

received → assigned → drafted → approved → published, with refusal (from received or
assigned), transfer (assigned → assigned, another assignee) and send-back (drafted or
approved → assigned). The transitions live on ``Question`` (django-fsm-2); this module holds
the permission rules they use and ``apply``, which refuses a step with a Vietnamese message
and changes nothing, or takes it, saves and records it in the object's history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

ASSIGN_PERMISSION = "participation.assign_question"
ANSWER_PERMISSION = "participation.answer_question"
APPROVE_PERMISSION = "participation.approve_question"

SAVE = ""  # the form's "save without changing the step"


@dataclass(frozen=True)
class Step:
    """One action of the admin form: the transition it calls and how it reads."""

    name: str
    label: str
    log_action: str
    done: str


STEPS = {
    "assign": Step("assign", "Phân công / chuyển người xử lý", "participation.assign", "phân công"),
    "refuse": Step("refuse", "Không tiếp nhận (ghi lý do)", "participation.refuse", "từ chối"),
    "submit_draft": Step(
        "submit_draft", "Gửi dự thảo trả lời để duyệt", "participation.draft", "gửi dự thảo"
    ),
    "send_back": Step(
        "send_back", "Trả lại người xử lý để sửa", "participation.send_back", "trả lại"
    ),
    "approve": Step("approve", "Duyệt câu trả lời", "participation.approve", "duyệt"),
    "publish": Step("publish", "Công khai câu trả lời", "participation.publish", "công khai"),
}


class StepRefused(Exception):
    """A step that cannot be taken; ``str()`` is the Vietnamese reason shown to staff."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def may_assign(user) -> bool:
    return bool(user and user.is_active and user.has_perm(ASSIGN_PERMISSION))


def may_approve(user) -> bool:
    return bool(user and user.is_active and user.has_perm(APPROVE_PERMISSION))


def may_draft(question, user) -> bool:
    """The assignee drafts; whoever assigns may draft in their stead."""
    if not (user and user.is_active):
        return False
    return question.assignee_id == user.pk or may_assign(user)


def answerers():
    """Active staff of this site whose role may be given a question to answer."""
    from django.contrib.auth.models import Permission

    permission = Permission.objects.filter(
        content_type__app_label="participation", codename="answer_question"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def available_steps(question, user) -> list[Step]:
    """The steps this user may take on the question now (what the form offers)."""
    names = _from_here(question)
    return [
        step for step in STEPS.values() if step.name in names and _allowed(question, step, user)
    ]


def _allowed(question, step: Step, user) -> bool:
    """The transition's permission alone: its condition (an answer) is checked on the form's
    values, which are not on the instance yet (django-fsm's has_transition_perm checks both)."""
    meta = getattr(question, step.name)._django_fsm
    return bool(user) and meta.has_transition_perm(question, question.status, user)


def _from_here(question) -> set[str]:
    """Transitions whose source is the current state (conditions are checked apart)."""
    return {
        t.name for t in question.get_all_status_transitions() if t.source in (question.status, "*")
    }


def refusal(question, step_name: str, user, data: dict) -> StepRefused | None:
    """Why ``step_name`` cannot be taken now, or None. Reads ``data`` (the form's values)."""
    step = STEPS.get(step_name)
    if step is None:
        return StepRefused("Thao tác không hợp lệ.", "action")
    status_label = question.get_status_display()
    if step.name not in _from_here(question):
        return StepRefused(
            f"Không thể {step.done} câu hỏi đang ở trạng thái “{status_label}”.", "action"
        )
    needs_answer = step.name in ("submit_draft", "approve", "publish")
    if needs_answer and not (data.get("answer", question.answer) or "").strip():
        return StepRefused("Cần có nội dung trả lời trước khi chuyển bước này.", "answer")
    if not _allowed(question, step, user):
        if step.name == "submit_draft":
            return StepRefused(
                "Chỉ người được phân công xử lý câu hỏi này mới gửi được dự thảo trả lời.",
                "action",
            )
        if step.name in ("approve", "publish", "send_back"):
            return StepRefused(
                "Bạn không có quyền duyệt hoặc công khai câu trả lời; hãy gửi dự thảo để "
                "lãnh đạo duyệt.",
                "action",
            )
        return StepRefused("Bạn không có quyền phân công, chuyển hoặc từ chối câu hỏi.", "action")
    if step.name == "assign":
        assignee = data.get("assignee")
        if assignee is None:
            return StepRefused("Chọn người xử lý khi phân công.", "assignee")
        if not answerers().filter(pk=assignee.pk).exists():
            return StepRefused(
                "Người được chọn không thuộc vai trò trả lời câu hỏi của trang này.", "assignee"
            )
    if step.name == "refuse" and not (data.get("refusal_reason") or "").strip():
        return StepRefused("Ghi lý do không tiếp nhận để báo cho người hỏi.", "refusal_reason")
    return None


def call(question, step_name: str, user, data: dict) -> None:
    """Run the transition in memory (after ``refusal`` said None)."""
    method = getattr(question, step_name)
    if step_name == "assign":
        method(data["assignee"], data.get("department", ""))
    elif step_name == "refuse":
        method(data["refusal_reason"].strip())
    elif step_name in ("approve", "publish"):
        method(user)
    else:
        method()


def record(question, step_name: str, user, previous: str) -> None:
    """The step in the question's Wagtail history (who, when, from which state)."""
    from wagtail.log_actions import log

    log(
        question,
        STEPS[step_name].log_action,
        user=user,
        data={"from": previous, "to": question.status},
    )


def apply(question, step_name: str, user, **data) -> None:
    """Take a step outside the admin form (tests, commands): refuse or save and record."""
    problem = refusal(question, step_name, user, data)
    if problem:
        raise problem
    for name in ("answer", "refusal_reason", "department"):
        if name in data and name != "department":
            setattr(question, name, data[name])
    previous = question.status
    with transaction.atomic():
        call(question, step_name, user, data)
        question.save()
        record(question, step_name, user, previous)
