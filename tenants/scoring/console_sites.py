"""Console pages of one site in a period: its figures, self-assessment and the council's
scores (council members score here), and what one automatic figure counted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from . import charts, compute, council, judging, results
from .console_access import ScoringAccess, period_or_404, site_of
from .errors import ScoringError
from .models import (
    METRIC_KINDS,
    CouncilScore,
    Criterion,
    Metric,
    MetricKind,
    MetricValue,
    Period,
    SelfAssessment,
)
from .results import format_number


def format_value(figure: MetricValue | None) -> str:
    if figure is None:
        return "chưa tính"
    if figure.value is None:
        return "chưa đo được"
    kind = METRIC_KINDS.get(figure.metric)
    number = format_number(figure.value)
    if kind == MetricKind.SHARE:
        if figure.denominator:
            return f"{number}% ({figure.numerator}/{figure.denominator})"
        return f"{number}%"
    if kind == MetricKind.SPEED:
        return f"{number} ms"
    return number


class SiteScoreView(ScoringAccess, TemplateView):
    """One site in a period: its figures, self-assessment, the council's scores, my scores."""

    template_name = "scoring/console/site.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = period_or_404(self.kwargs["pk"])
        site = site_of(period, self.kwargs["code"])
        criteria = list(period.criteria_set.criteria.all())
        # Ranks need the whole level, so every member site is scored.
        row = next(r for r in compute.site_scores(period) if r.tenant.pk == site.pk)
        scores = list(
            CouncilScore.objects.filter(period=period, tenant=site)
            .select_related("member", "criterion")
            .order_by("criterion__position", "member__username")
        )
        assessment = (
            SelfAssessment.objects.filter(period=period, tenant=site)
            .prefetch_related("scores")
            .first()
        )
        self_scores = {s.criterion_id: s for s in assessment.scores.all()} if assessment else {}
        user = self.request.user
        submitted = kwargs.get("submitted") or {}
        my_scores = {s.criterion_id: s for s in scores if s.member_id == user.pk}
        automatic, judged = [], []
        for criterion in criteria:
            if criterion.is_automatic:
                figure = row.figures.get(criterion.metric)
                automatic.append(
                    {
                        "criterion": criterion,
                        "figure": figure,
                        "value": format_value(figure),
                        "score": row.scores.get(criterion.code),
                    }
                )
            else:
                mine = my_scores.get(criterion.pk)
                judged.append(
                    {
                        "criterion": criterion,
                        "mean": row.scores.get(criterion.code),
                        "judges": row.judges.get(criterion.code, 0),
                        "scores": [s for s in scores if s.criterion_id == criterion.pk],
                        "self": self_scores.get(criterion.pk),
                        "form_score": submitted.get(criterion.pk, (None, None))[0]
                        if submitted
                        else (format_number(mine.score) if mine else ""),
                        "form_comment": submitted.get(criterion.pk, (None, None))[1]
                        if submitted
                        else (mine.comment if mine else ""),
                    }
                )
        earlier = list(
            Period.objects.filter(
                province=period.province,
                kind=period.kind,
                ends_on__lte=period.ends_on,
                status__in=[Period.Status.LOCKED, Period.Status.PUBLISHED],
            ).order_by("-ends_on")[:8]
        )[::-1]
        trend_chart = None
        if earlier:
            data = results.trend(earlier, [site.pk])
            totals = data.series[0][2] if data.series else [None] * len(earlier)
            names = [p.name for p in earlier]
            if period.is_open:  # the open period's provisional total as the last point
                names.append(f"{period.name} (tạm tính)")
                totals = [*totals, row.total]
            trend_chart = charts.trend_chart(
                names, [(site.name, totals)], title=f"Tổng điểm của {site.name} qua các kỳ"
            )
        context.update(
            trend_chart=trend_chart,
            period=period,
            site=site,
            row=row,
            automatic=automatic,
            judged=judged,
            assessment=assessment,
            can_score=period.is_open and council.is_council_member(user),
            error=kwargs.get("error"),
        )
        return context

    def post(self, request, pk: int, code: str):
        period = period_or_404(pk)
        site = site_of(period, code)
        entries = {}
        for criterion in period.criteria_set.criteria.filter(kind=Criterion.Kind.JUDGED):
            entries[criterion.pk] = (
                request.POST.get(f"score-{criterion.pk}", ""),
                request.POST.get(f"comment-{criterion.pk}", ""),
            )
        try:
            judging.save_council_scores(period, site, request.user, entries)
        except ScoringError as error:
            context = self.get_context_data(error=str(error), submitted=entries)
            return self.render_to_response(context, status=400)
        messages.success(request, f"Đã lưu điểm của bạn cho {site.name}.")
        return redirect("console:scoring:period", period.pk)


class FigureView(ScoringAccess, TemplateView):
    """What one automatic figure counted (the drill-down list)."""

    template_name = "scoring/console/figure.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = period_or_404(self.kwargs["pk"])
        site = site_of(period, self.kwargs["code"])
        if self.kwargs["metric"] not in Metric.values:
            raise Http404
        figure = MetricValue.objects.filter(
            period=period, tenant=site, metric=self.kwargs["metric"]
        ).first()
        items = figure.items if figure else []
        context.update(
            period=period,
            site=site,
            metric_label=Metric(self.kwargs["metric"]).label,
            figure=figure,
            value=format_value(figure),
            items=items,
            counted=sum(1 for item in items if item.get("counted")),
        )
        return context
