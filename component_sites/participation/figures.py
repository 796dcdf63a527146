"""What citizen participation gives the province's scoring: drafts put out for comment in
the period, and the share of questions answered by their deadline."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from component_sites.core.figures import (
    NO_HOME,
    Figure,
    Scope,
    count_figure,
    dmy,
    item,
    page_url,
    pages_below,
    register,
    register_section_content,
    share,
    site_home,
)
from component_sites.core.models import SectionPage

from .models import DraftPage, Question, QuestionIndexPage

NO_DUE_QUESTIONS = "Không có câu hỏi đến hạn trong kỳ"
NOT_YET_DUE = "chưa đến hạn"


def drafts(scope: Scope) -> Figure:
    """Drafts for comment (``participation.DraftPage``) live and public, opening in the period."""
    home = site_home()
    if home is None:
        return Figure(Decimal(0), note=NO_HOME)
    pages = (
        DraftPage.objects.live()
        .public()
        .descendant_of(home)
        .filter(opens_on__gte=scope.starts_on, opens_on__lte=scope.ends_on)
        .order_by("opens_on", "pk")
        .only("title", "url_path", "opens_on", "closes_on", "agency")
    )
    return count_figure(
        [
            item(
                page.title,
                page_url(scope, home, page.url_path),
                page.opens_on,
                detail=f"Lấy ý kiến {dmy(page.opens_on)} – {dmy(page.closes_on)}; {page.agency}",
            )
            for page in pages
        ]
    )


def questions_on_time(scope: Scope) -> Figure:
    """Share of the questions and feedback submitted in the period answered by their deadline.

    Rejected ones are left out.  A question is due for the figure once it is answered or its
    due date has passed (as of the day of computation); it is on time when the local date of
    its answer is on or before the due date.  Questions neither answered nor yet due are
    listed (not counted, not in the denominator).
    """
    home = site_home()
    index = (
        QuestionIndexPage.objects.child_of(home).live().only("url_path").first() if home else None
    )
    index_url = page_url(scope, home, index.url_path) if index is not None else ""
    rows = (
        Question.objects.filter(submitted_at__gte=scope.start, submitted_at__lt=scope.end)
        .exclude(status=Question.Status.REFUSED)
        .order_by("submitted_at", "pk")
        .only("tracking_code", "title", "submitted_at", "due_date", "answered_at", "status")
    )
    items = []
    due = on_time = 0
    for question in rows:
        label = f"{question.tracking_code} – {question.title}"
        url = ""
        if index_url and question.status == Question.Status.PUBLISHED:
            url = f"{index_url}{question.pk}/"
        deadline = f"hạn {dmy(question.due_date)}"
        if question.answered_at is not None:
            answered_on = timezone.localdate(question.answered_at)
            late_days = (answered_on - question.due_date).days
            counted = late_days <= 0
            detail = f"{deadline}; trả lời {dmy(answered_on)}" + (
                " – đúng hạn" if counted else f" – quá hạn {late_days} ngày"
            )
        elif question.due_date < scope.today:
            counted = False
            detail = (
                f"{deadline}; chưa trả lời – quá hạn "
                f"{(scope.today - question.due_date).days} ngày (tính đến {dmy(scope.today)})"
            )
        else:
            items.append(
                item(label, url, question.submitted_at, f"{deadline}; {NOT_YET_DUE}", False)
            )
            continue
        due += 1
        on_time += counted
        items.append(item(label, url, question.submitted_at, detail, counted))
    if not due:
        # An empty base earns nothing (0 questions must not give full marks): no value.
        return Figure(None, 0, 0, note=NO_DUE_QUESTIONS, items=items)
    return Figure(share(on_time, due), on_time, due, items=items)


def question_section(section) -> tuple[bool, str]:
    # The form to send a question is the section's content: the page serves it.
    return True, "có trang gửi và tra cứu câu hỏi"


register("questions_on_time", "Câu hỏi trả lời đúng hạn", questions_on_time)
register("drafts", "Dự thảo đưa ra lấy ý kiến", drafts)
register_section_content(SectionPage.Key.QUESTIONS, question_section)
register_section_content(SectionPage.Key.DRAFTS, pages_below("participation.DraftPage"))
