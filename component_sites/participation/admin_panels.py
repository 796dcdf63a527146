"""How questions look in the admin: the attachment and deadline panels, the deadline column.

Rendered from templates under ``participation/admin/``; colours come from CSS classes in
``participation/admin.css`` (loaded on every admin page by ``wagtail_hooks``), never from
inline styles.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from wagtail.admin.panels import Panel


class AttachmentPanel(Panel):
    """The citizen's file as a link to the staff-only download view (never a public URL)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "participation/admin/attachment_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["question"] = self.instance
            return context


class DeadlinePanel(Panel):
    """The deadline and the working days left (or overdue), read-only on the staff form."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "participation/admin/deadline_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["deadline"] = self.instance.deadline_summary() if self.instance.pk else ""
            return context


def deadline_column(question, due_soon_days: int) -> str | SafeString:
    """The deadline and days left; overdue (red) or ``due_soon_days`` or fewer left (amber)."""
    summary = question.deadline_summary()
    if not question.is_open:
        return summary
    if question.is_overdue():
        state = "overdue"
    elif question.working_days_left() <= due_soon_days:
        state = "due-soon"
    else:
        return summary
    return render_to_string(
        "participation/admin/deadline_column.html", {"summary": summary, "state": state}
    )
