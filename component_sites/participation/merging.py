"""Questions and answers of a merged site move into the survivor's Hỏi – đáp."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from .models import Question, QuestionIndexPage, new_tracking_code

# Accounts stay with the old site; the rest of a question is the citizen's and moves whole.
NOT_COPIED = {"id", "assignee", "approved_by"}


def move_questions(transfer) -> None:
    """Copy every question (answered or still open) with its answer and attachment.

    The tracking code a citizen was given keeps working unless the survivor already uses
    it (then the question gets a new one); each published answer's old address answers
    301 to its new one.
    """
    with schema_context(transfer.source):
        index = QuestionIndexPage.objects.first()
        old_index = transfer.old_address(index.url_path) if index else None
        rows = []
        for question in Question.objects.order_by("pk"):
            values = {
                f.attname: getattr(question, f.attname)
                for f in Question._meta.concrete_fields
                if f.name not in NOT_COPIED
            }
            attachment = None
            if question.attachment:
                with question.attachment.open("rb") as handle:
                    attachment = (PurePosixPath(question.attachment.name).name, handle.read())
            rows.append((question.pk, values, attachment))
    if not rows:
        return
    with schema_context(transfer.target):
        index = QuestionIndexPage.objects.first()
        new_index = transfer.new_address(index.url_path) if index else None
        taken = set(
            Question.objects.filter(
                tracking_code__in=[values["tracking_code"] for _pk, values, _a in rows]
            ).values_list("tracking_code", flat=True)
        )
        for old_pk, values, attachment in rows:
            question = Question(**values)
            if question.tracking_code in taken:
                question.tracking_code = question.tracking_code[:2] + new_tracking_code()[2:]
            if attachment:
                question.attachment.save(attachment[0], ContentFile(attachment[1]), save=False)
                transfer.written_files.append(question.attachment.name)
                transfer.on_file_written(question.attachment.name)
            # bulk_create: the row as it was (no new deadline, no cache purge per row).
            Question.objects.bulk_create([question])
            if old_index and new_index:
                transfer.result.moved_paths.append(
                    (f"{old_index}{old_pk}/", f"{new_index}{question.pk}/")
                )
    transfer.count("questions", len(rows))
