"""Staff-only export: the synthesis report of a closed draft's comments (CSV or XLSX)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from component_sites.core.spreadsheet import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_text,
    xlsx_bytes,
)

from .models import DraftComment, DraftPage, ServiceRating

HEADER = ["STT", "Ngày gửi", "Người/tổ chức góp ý", "Điều, khoản", "Nội dung góp ý",
          "Trạng thái", "Tiếp thu, giải trình"]  # fmt: skip


def synthesis_rows(draft: DraftPage) -> list[list[str]]:
    """One row per comment (published or not: the synthesis covers every opinion received).

    Raw text: the export's writer (``core.spreadsheet``) neutralises formulas.
    """
    rows = []
    comments = draft.comments.exclude(status=DraftComment.Status.REJECTED).order_by("created_at")
    for number, comment in enumerate(comments, start=1):
        rows.append(
            [
                str(number),
                timezone.localtime(comment.created_at).strftime("%d/%m/%Y %H:%M"),
                comment.author_name,
                comment.article_ref,
                comment.text,
                comment.get_status_display(),
                comment.staff_note,
            ]
        )
    return rows


def synthesis_export(request, page_id: int, fmt: str):
    draft = get_object_or_404(DraftPage, pk=page_id)
    if not request.user.has_perm("participation.view_draftcomment") and not request.user.has_perm(
        "participation.change_draftcomment"
    ):
        raise PermissionDenied
    if not draft.is_closed():
        return HttpResponse(
            "Chỉ tổng hợp được sau khi kết thúc lấy ý kiến "
            f"({draft.closes_on.strftime('%d/%m/%Y')}).",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    rows = synthesis_rows(draft)
    name = f"tong-hop-gop-y-{draft.slug}"
    # The shared writer neutralises every cell: citizens' text, staff notes, the title.
    table = [[f"Tổng hợp ý kiến góp ý: {draft.title}"], HEADER, *rows]
    if fmt == "csv":
        # A byte-order mark so that Excel opens the Vietnamese text as UTF-8.
        response = HttpResponse(csv_text(table), content_type=CSV_CONTENT_TYPE)
    elif fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes([("Tổng hợp góp ý", table)]), content_type=XLSX_CONTENT_TYPE
        )
    else:
        return HttpResponse("Định dạng không hỗ trợ.", status=404)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


SATISFACTION_PERIODS = [("30 ngày gần nhất", 30), ("12 tháng gần nhất", 365), ("Toàn bộ", None)]


def satisfaction_summary(days: int | None = None) -> dict:
    """Counts and shares of each satisfaction level, over the last ``days`` days or all time."""
    ratings = ServiceRating.objects.all()
    if days is not None:
        ratings = ratings.filter(created_on__gt=timezone.localdate() - timedelta(days=days))
    counts = dict(ratings.values_list("level").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    rows = []
    for level, label in ServiceRating.Level.choices:
        count = counts.get(level, 0)
        share = round(100 * count / total, 1) if total else 0.0
        rows.append({"level": level, "label": label, "count": count, "share": share})
    satisfied = sum(r["count"] for r in rows if r["level"] != ServiceRating.Level.NOT_SATISFIED)
    return {
        "rows": rows,
        "total": total,
        "satisfied_share": round(100 * satisfied / total, 1) if total else 0.0,
    }


def satisfaction_report(request):
    """Staff view of the service satisfaction ratings (Decree 224/2026, Article 10)."""
    if not request.user.has_perm("participation.view_servicerating"):
        raise PermissionDenied
    periods = [(label, satisfaction_summary(days)) for label, days in SATISFACTION_PERIODS]
    comments = ServiceRating.objects.exclude(comment="")[:50]
    return TemplateResponse(
        request,
        "participation/admin/satisfaction.html",
        {"periods": periods, "comments": comments, "page_title": "Mức độ hài lòng"},
    )


def question_attachment(request, pk: int):
    """A citizen's file, for staff who may see the question (never through /media/)."""
    from django.http import FileResponse, Http404

    from .models import Question

    if not request.user.has_perm("participation.view_question") and not request.user.has_perm(
        "participation.change_question"
    ):
        raise PermissionDenied
    question = get_object_or_404(Question, pk=pk)
    if not question.attachment:
        raise Http404("Câu hỏi không có tệp đính kèm.")
    try:
        handle = question.attachment.open("rb")
    except OSError as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=question.attachment.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
