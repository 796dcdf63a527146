"""A site's self-assessment ("Tự đánh giá") in its own Wagtail admin.

The site's administrators and the head of its editorial board file, for each open period
of their province, a report and a proposed score with an explanation per judged
criterion.  The request runs in the site's schema and reads and writes the scoring tables
of the public schema (periods, criteria, self-assessments), which is allowed.  Storing goes
through ``judging.save_self_assessment``: a wrong score or a period locked meanwhile is
refused with its message and stores nothing.  A period no longer open shows what was filed,
read-only.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from component_sites.editorial.roles import HEAD, SITE_ADMIN

from . import errors, judging, periods
from .models import Criterion, Period, SelfAssessment
from .results import format_number

# The roles that may file the site's self-assessment.
SELF_ASSESSMENT_ROLES = (SITE_ADMIN, HEAD)


def can_self_assess(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name__in=SELF_ASSESSMENT_ROLES).exists())
    )


def _site(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(request, "is_control_plane", False):
        raise Http404
    return tenant


def board_only(view):
    """Refuse anybody but the site's administrators and the head of the editorial board."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_self_assess(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _who(user) -> str:
    name = user.get_full_name().strip()
    username = user.get_username()
    return f"{name} ({username})" if name else username


@board_only
def self_assessment_list(request):
    site = _site(request)
    open_periods = list(periods.open_periods_for(site))
    filed = {
        a.period_id: a for a in SelfAssessment.objects.filter(tenant=site).select_related("period")
    }
    earlier = sorted(
        (a for a in filed.values() if a.period.status != Period.Status.OPEN),
        key=lambda a: a.period.ends_on,
        reverse=True,
    )
    return TemplateResponse(
        request,
        "scoring/admin/self_assessments.html",
        {
            "site": site,
            "open_rows": [(period, filed.get(period.pk)) for period in open_periods],
            "earlier": earlier,
        },
    )


def _saved_values(judged, saved) -> dict[int, tuple[str, str]]:
    return {
        c.pk: (
            format_number(saved[c.pk].score) if c.pk in saved else "",
            saved[c.pk].comment if c.pk in saved else "",
        )
        for c in judged
    }


@board_only
def self_assessment_edit(request, period_id: int):
    site = _site(request)
    period = (
        Period.objects.filter(pk=period_id, province=site.province)
        .select_related("criteria_set")
        .first()
    )
    if period is None:
        raise Http404("Kỳ đánh giá không thuộc tỉnh của trang này.")
    judged = [c for c in period.criteria_set.criteria.all() if c.kind == Criterion.Kind.JUDGED]
    assessment = (
        SelfAssessment.objects.filter(period=period, tenant=site).prefetch_related("scores").first()
    )
    saved = {s.criterion_id: s for s in assessment.scores.all()} if assessment else {}
    summary = assessment.summary if assessment else ""
    values = _saved_values(judged, saved)
    if request.method == "POST":
        summary = request.POST.get("summary", "")
        values = {
            c.pk: (request.POST.get(f"diem-{c.pk}", ""), request.POST.get(f"giai-trinh-{c.pk}", ""))
            for c in judged
        }
        try:
            judging.save_self_assessment(period, site, summary, values, by=_who(request.user))
        except errors.ScoringError as error:
            messages.error(request, str(error))
            period.refresh_from_db()  # it may have been locked meanwhile
            if not period.is_open:  # show what was filed, not what was refused
                values = _saved_values(judged, saved)
                summary = assessment.summary if assessment else ""
        else:
            messages.success(request, f"Đã lưu bản tự đánh giá kỳ {period.name}.")
            return redirect("scoring_self_assessment", period.pk)
    return TemplateResponse(
        request,
        "scoring/admin/self_assessment.html",
        {
            "site": site,
            "period": period,
            "assessment": assessment,
            "summary": summary,
            "rows": [(c, values[c.pk][0], values[c.pk][1], saved.get(c.pk)) for c in judged],
            "editable": period.is_open,
        },
    )
