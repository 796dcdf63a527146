"""Build a scored period the way the console does: criteria, figures, council scores, lock.

Every member site gets the same share ``factor`` of every criterion's maximum (response
time excepted: full marks), so its total is ``95 × factor + 5`` and the ranks are known.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tenants.scoring import compute, criteria_sets, judging, periods
from tenants.scoring.models import COUNCIL_GROUP, METRIC_KINDS, MetricKind, MetricValue, Period

# Share of the maximum per site code (province 17, district 152, communes 04954 and 04921).
FACTORS = {"17": "0.9", "152": "1", "04954": "0.8", "04921": "0.5"}


def council_member(username: str = "hoidong1"):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(username=username, password="Hoi-dong-2026")
        user.groups.add(Group.objects.get(name=COUNCIL_GROUP))
    return user


def expected_total(factor: str) -> Decimal:
    return compute.q(Decimal(95) * Decimal(factor) + 5)


def scored_period(
    province,
    number: int = 1,
    year: int = 2026,
    factors: dict[str, str] | None = None,
    status: str = Period.Status.PUBLISHED,
    judged: dict[tuple[str, str], str] | None = None,
) -> Period:
    """A quarter of ``year`` with figures and council scores, locked or published on request.

    ``judged`` overrides the council's score of a (site code, criterion code).
    """
    factors = {**FACTORS, **(factors or {})}
    judged = judged or {}
    criteria_set = criteria_sets.latest_criteria_set(province) or criteria_sets.save_criteria_set(
        province, list(criteria_sets.DEFAULT_CRITERIA)
    )
    period = periods.create_period(province, "quarter", year, number, criteria_set)
    criteria = list(criteria_set.criteria.all())
    member = council_member()
    for site in compute.member_sites(province):
        factor = Decimal(factors[site.code])
        for criterion in criteria:
            if not criterion.is_automatic:
                continue
            kind = METRIC_KINDS[criterion.metric]
            if kind == MetricKind.COUNT:
                value = criterion.target * period.months * factor
            elif kind == MetricKind.SHARE:
                value = 100 * factor
            else:
                value = criterion.target
            MetricValue.objects.create(
                period=period, tenant=site, metric=criterion.metric, value=value
            )
        judging.save_council_scores(
            period,
            site,
            member,
            {
                c.pk: (
                    judged.get((site.code, c.code), str(c.max_score * factor)),
                    "Nhận xét nội bộ của hội đồng",
                )
                for c in criteria
                if not c.is_automatic
            },
        )
    if status in (Period.Status.LOCKED, Period.Status.PUBLISHED):
        periods.lock(period)
    if status == Period.Status.PUBLISHED:
        periods.publish(period)
    period.refresh_from_db()
    return period
