"""Admin form of a question: one step of the state machine per save, checked first.

The status is never a free select: the form offers the steps this user may take now
(``question_flow.available_steps``); a step that cannot be taken is a form error in
Vietnamese and nothing is saved. The citizen's title and text are read-only panels.
"""

from __future__ import annotations

from django import forms
from django.db import connection, transaction
from wagtail.admin.forms import WagtailAdminModelForm

from . import question_flow
from .models import Question


class AnswererChoiceField(forms.ModelChoiceField):
    """Staff shown by full name (username when they have none)."""

    def label_from_instance(self, user):
        full = user.get_full_name().strip()
        return f"{full} ({user.username})" if full else user.username


class QuestionAdminForm(WagtailAdminModelForm):
    """Staff take one step per save; who may take which step is in ``question_flow``."""

    # A select whose value clean() checks against the state machine (a ChoiceField would
    # answer a stale or forged step with Django's generic "invalid choice").
    action = forms.CharField(
        label="Thao tác",
        required=False,
        widget=forms.Select,
        help_text="Chọn bước tiếp theo; để “Chỉ lưu” để lưu nội dung mà không chuyển bước.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if "assignee" in self.fields:
            self.fields["assignee"] = AnswererChoiceField(
                queryset=question_flow.answerers(),
                required=False,
                label=self.fields["assignee"].label,
                help_text="Chỉ cán bộ của trang có vai trò trả lời câu hỏi.",
            )
        steps = question_flow.available_steps(self.instance, user) if self.instance.pk else []
        self.fields["action"].widget.choices = [("", "Chỉ lưu, không chuyển bước")] + [
            (step.name, step.label) for step in steps
        ]
        self._stored = {
            "status": self.instance.status,
            "assignee_id": self.instance.assignee_id,
            "department": self.instance.department,
            "answer": self.instance.answer,
        }

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "for_user", None)
        step = cleaned.get("action") or question_flow.SAVE
        stored = self._stored
        assignee = cleaned.get("assignee")
        moved = (assignee.pk if assignee else None) != stored["assignee_id"] or (
            cleaned.get("department", "") != stored["department"]
        )
        if moved and step != "assign":
            self.add_error(
                "assignee",
                "Để đổi người hoặc phòng xử lý, chọn thao tác “Phân công / chuyển người xử lý”.",
            )
        answer_changed = (cleaned.get("answer") or "") != (stored["answer"] or "")
        if answer_changed and not self._may_edit_answer(user):
            self.add_error(
                "answer",
                "Chỉ người được phân công (khi chưa duyệt) hoặc lãnh đạo duyệt mới sửa được "
                "nội dung trả lời.",
            )
        if step:
            problem = question_flow.refusal(self.instance, step, user, cleaned)
            if problem:
                self.add_error(
                    problem.field if problem.field in self.fields else None, str(problem)
                )
        return cleaned

    def _may_edit_answer(self, user) -> bool:
        status = self._stored["status"]
        S = Question.Status
        if status in (S.ASSIGNED, S.DRAFTED) and question_flow.may_draft(self.instance, user):
            return True
        return status in (S.DRAFTED, S.APPROVED, S.PUBLISHED) and question_flow.may_approve(user)

    def save(self, commit=True):
        question = super().save(commit=False)
        user = getattr(self, "for_user", None)
        step = self.cleaned_data.get("action") or question_flow.SAVE
        previous = self._stored["status"]
        # The model form already wrote assignee/department; the step sets them again.
        question.assignee_id, question.department = (
            self._stored["assignee_id"],
            self._stored["department"],
        )
        if step:
            question_flow.call(question, step, user, self.cleaned_data)
        if commit:
            with transaction.atomic():
                question.save()
                if step:
                    question_flow.record(question, step, user, previous)
            if step == "publish":
                schema = connection.schema_name
                transaction.on_commit(lambda: _notify(schema, question.pk))
        return question


def _notify(schema, pk):
    from component_sites.core.enqueue import enqueue

    enqueue("tasks.participation.notify_answer", schema, pk)  # by name: no import of tasks
