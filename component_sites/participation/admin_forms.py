"""Admin form of a question: approval needs the permission, and records who approved."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Question

APPROVAL_STATES = (Question.Status.APPROVED, Question.Status.PUBLISHED)


class QuestionAdminForm(WagtailAdminModelForm):
    """Staff draft answers; only holders of ``approve_question`` approve or publish them."""

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        previous = self.instance._stored_status if self.instance.pk else None
        user = getattr(self, "for_user", None)
        may_approve = user is not None and user.has_perm("participation.approve_question")
        if status in APPROVAL_STATES and previous != status and not may_approve:
            self.add_error(
                "status",
                "Bạn không có quyền duyệt hoặc công khai câu trả lời; "
                "hãy chuyển sang “Đã có dự thảo trả lời” để lãnh đạo duyệt.",
            )
        return cleaned

    def save(self, commit=True):
        question = super().save(commit=False)
        previous = getattr(question, "_stored_status", None)
        user = getattr(self, "for_user", None)
        if question.status in APPROVAL_STATES and previous not in APPROVAL_STATES:
            question.approved_by = user
        just_published = (
            question.status == Question.Status.PUBLISHED and previous != Question.Status.PUBLISHED
        )
        if just_published:
            question.answered_at = timezone.now()
        if commit:
            question.save()
            if just_published:
                schema = connection.schema_name
                transaction.on_commit(lambda: _notify(schema, question.pk))
        return question


def _notify(schema, pk):
    from component_sites.core.enqueue import enqueue
    from tasks.participation import notify_answer

    enqueue(notify_answer, schema, pk)
