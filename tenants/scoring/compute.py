"""From figures and council scores to scores, totals and ranks (no schema other than public).

Each criterion gives a score between 0 and its maximum; a site's total is the weighted sum
``Σ weight × score / max`` (weights add up to 100, so the total is out of 100).  Sites are
ranked within their level with shared ranks for equal totals (1, 2, 2, 4).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from tenants.models import Tenant

from .models import (
    METRIC_KINDS,
    CouncilScore,
    Criterion,
    MetricKind,
    MetricValue,
    Period,
    SiteResult,
)

TWO_PLACES = Decimal("0.01")
# Response times at or above this multiple of the target earn nothing.
SPEED_ZERO_FACTOR = 4

LEVEL_ORDER = [Tenant.Level.PROVINCE, Tenant.Level.DISTRICT, Tenant.Level.COMMUNE]


def q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def member_sites(province: Tenant) -> list[Tenant]:
    """The province portal and every active site below it (any depth)."""
    sites = list(Tenant.objects.filter(status=Tenant.Status.ACTIVE).order_by("name"))
    children: dict[int | None, list[Tenant]] = defaultdict(list)
    for site in sites:
        children[site.parent_id].append(site)
    found: list[Tenant] = []
    if province.status == Tenant.Status.ACTIVE:
        found.append(province)
    stack = [province.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child.pk)
    return found


def period_sites(period: Period) -> list[Tenant]:
    """The member sites evaluated in ``period``: members less those excluded from it."""
    excluded = set(period.exclusions.values_list("tenant_id", flat=True))
    return [site for site in member_sites(period.province) if site.pk not in excluded]


def is_member(province: Tenant, tenant: Tenant) -> bool:
    """Whether ``tenant`` is one of the sites evaluated in ``province``'s periods."""
    return tenant.pk in {site.pk for site in member_sites(province)}


def automatic_score(criterion: Criterion, figure: MetricValue | None, months: int) -> Decimal:
    """Score of an automatic criterion from its figure.

    0 when nothing was measured, and 0 for a share over an empty base (0 of 0 questions due,
    no procedure to hold): a criterion earns marks only for work it can see (docs/scoring.md).
    """
    if figure is None or figure.value is None:
        return Decimal(0)
    if METRIC_KINDS.get(criterion.metric) == MetricKind.SHARE and figure.denominator == 0:
        return Decimal(0)
    maximum = criterion.max_score
    value = Decimal(figure.value)
    kind = METRIC_KINDS.get(criterion.metric)
    if kind == MetricKind.COUNT:
        target = (criterion.target or Decimal(0)) * months
        if target <= 0:
            return maximum if value > 0 else Decimal(0)
        return q(maximum * min(Decimal(1), value / target))
    if kind == MetricKind.SHARE:
        return q(maximum * max(Decimal(0), min(Decimal(100), value)) / 100)
    if kind == MetricKind.SPEED:
        target = criterion.target or Decimal(1000)
        if value <= target:
            return maximum
        zero_at = target * SPEED_ZERO_FACTOR
        if value >= zero_at:
            return Decimal(0)
        return q(maximum * (zero_at - value) / (zero_at - target))
    return Decimal(0)


@dataclass
class SiteScores:
    tenant: Tenant
    # criterion code -> score (None: a judged criterion nobody has scored yet)
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    # criterion code -> number of council members who scored it
    judges: dict[str, int] = field(default_factory=dict)
    figures: dict[str, MetricValue] = field(default_factory=dict)
    total: Decimal = Decimal(0)
    rank: int = 0
    of_count: int = 0
    criterion_ranks: dict[str, int] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [code for code, score in self.scores.items() if score is None]


def site_scores(period: Period, sites: list[Tenant] | None = None) -> list[SiteScores]:
    """Current scores of every member site (provisional until the period is locked)."""
    criteria = list(period.criteria_set.criteria.all())
    sites = period_sites(period) if sites is None else sites
    figures: dict[tuple[int, str], MetricValue] = {
        (f.tenant_id, f.metric): f for f in MetricValue.objects.filter(period=period).defer("items")
    }
    judged: dict[tuple[int, int], tuple[Decimal, int]] = {
        (row["tenant_id"], row["criterion_id"]): (row["mean"], row["judges"])
        for row in CouncilScore.objects.filter(period=period)
        .values("tenant_id", "criterion_id")
        .annotate(mean=Avg("score"), judges=Count("member", distinct=True))
    }
    rows = []
    for site in sites:
        row = SiteScores(tenant=site)
        total = Decimal(0)
        for criterion in criteria:
            if criterion.is_automatic:
                figure = figures.get((site.pk, criterion.metric))
                if figure is not None:
                    row.figures[criterion.metric] = figure
                score = automatic_score(criterion, figure, period.months)
            else:
                mean, judges = judged.get((site.pk, criterion.pk), (None, 0))
                row.judges[criterion.code] = judges
                score = None if mean is None else q(mean)
            row.scores[criterion.code] = score
            if score is not None and criterion.max_score:
                total += criterion.weight * score / criterion.max_score
        row.total = q(total)
        rows.append(row)
    rank_rows(rows, criteria)
    return rows


def competition_ranks(values: list[Decimal]) -> list[int]:
    """Ranks of ``values`` (higher is better), equal values sharing a rank: 1, 2, 2, 4."""
    order = sorted(range(len(values)), key=lambda i: values[i], reverse=True)
    ranks = [0] * len(values)
    for position, index in enumerate(order):
        if position and values[index] == values[order[position - 1]]:
            ranks[index] = ranks[order[position - 1]]
        else:
            ranks[index] = position + 1
    return ranks


def rank_rows(rows: list[SiteScores], criteria: list[Criterion]) -> None:
    """Fill total and per-criterion ranks of ``rows``, within each level."""
    by_level: dict[str, list[SiteScores]] = defaultdict(list)
    for row in rows:
        by_level[row.tenant.level].append(row)
    for group in by_level.values():
        for row, rank in zip(group, competition_ranks([r.total for r in group]), strict=True):
            row.rank, row.of_count = rank, len(group)
        for criterion in criteria:
            values = [r.scores.get(criterion.code) or Decimal(0) for r in group]
            for row, rank in zip(group, competition_ranks(values), strict=True):
                row.criterion_ranks[criterion.code] = rank


def grouped(rows: list[SiteScores]) -> list[tuple[str, str, list[SiteScores]]]:
    """(level, label, rows sorted by rank) for each level that has sites."""
    labels = dict(Tenant.Level.choices)
    out = []
    for level in LEVEL_ORDER:
        group = sorted(
            (r for r in rows if r.tenant.level == level), key=lambda r: (r.rank, r.tenant.name)
        )
        if group:
            out.append((str(level), str(labels[level]), group))
    return out


def freeze(period: Period) -> list[SiteResult]:
    """Store the results of ``period`` (replacing earlier ones); the caller holds the lock."""
    rows = site_scores(period)
    SiteResult.objects.filter(period=period).delete()
    return SiteResult.objects.bulk_create(
        SiteResult(
            period=period,
            tenant=row.tenant,
            site_name=row.tenant.name,
            level=row.tenant.level,
            total=row.total,
            rank=row.rank,
            of_count=row.of_count,
            criteria={
                code: {
                    "score": None if score is None else str(score),
                    "rank": row.criterion_ranks.get(code),
                }
                for code, score in row.scores.items()
            },
        )
        for row in rows
    )
