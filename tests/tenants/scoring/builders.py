"""Builders of scoring data for tests: criteria, periods, council members, figures."""

from __future__ import annotations

from decimal import Decimal

from tenants.scoring import compute, council, criteria_sets, judging, periods
from tenants.scoring.models import Metric, MetricValue, Period


def criteria(province):
    return criteria_sets.save_criteria_set(
        province, list(criteria_sets.DEFAULT_CRITERIA), note="thử"
    )


def period(province, kind=Period.Kind.QUARTER, year=2026, number=3):
    if not province.criteria_sets.exists():
        criteria(province)
    return periods.create_period(province, kind, year, number)


def member(username: str, full_name: str = ""):
    return council.create_council_member(username, full_name, "Mat-khau-hoi-dong-2026")


# A figure per metric that earns full marks with the default criteria of a quarter.
FULL = {
    Metric.ARTICLES: Decimal(24),
    Metric.DOCUMENTS: Decimal(12),
    Metric.DRAFTS: Decimal(2),
    Metric.PROCEDURES_CURRENT: Decimal(100),
    Metric.QUESTIONS_ON_TIME: Decimal(100),
    Metric.MANDATORY_SECTIONS: Decimal(100),
    Metric.AVAILABILITY: Decimal(100),
    Metric.RESPONSE_TIME: Decimal(300),
}


def figures(period, site, **values):
    """Store a figure of every metric for ``site`` (full marks unless given)."""
    for metric in Metric.values:
        value = values.get(metric, FULL[metric])
        MetricValue.objects.update_or_create(
            period=period,
            tenant=site,
            metric=metric,
            defaults={
                "value": value,
                "numerator": int(value or 0),
                "items": [{"label": f"mục của {metric}", "counted": True}],
            },
        )


def judged_entries(period, score="8", comment="Nội dung đầy đủ, cập nhật thường xuyên."):
    return {c.pk: (score, comment) for c in period.criteria_set.criteria.filter(kind="judged")}


def score_everything(period, members, score="8"):
    for site in compute.member_sites(period.province):
        figures(period, site)
        for m in members:
            judging.save_council_scores(period, site, m, judged_entries(period, score))
