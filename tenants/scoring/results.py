"""A period's results in one shape for the public page, the exports and the charts.

A locked or published period is read from its frozen ``SiteResult`` rows (names, levels and
ranks as they were at locking); an open period is computed now (``compute.site_scores``)
and marked provisional.  Only public tables are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tenants.models import Tenant

from . import compute
from .models import Criterion, Period, SiteResult

# Short labels of the levels, as the council's reports name them.
LEVEL_LABELS = {
    Tenant.Level.PROVINCE: "Cấp tỉnh",
    Tenant.Level.DISTRICT: "Cấp huyện",
    Tenant.Level.COMMUNE: "Cấp xã",
}
PROVISIONAL_LABEL = "Kết quả tạm tính"


def format_number(value: Decimal | float | int | None, places: int = 2) -> str:
    """Vietnamese decimal comma, no useless zeros: ``7.50`` → ``7,5``; ``None`` → ``–``."""
    if value is None:
        return "–"
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",")


@dataclass(frozen=True)
class CriterionInfo:
    number: int  # 1, 2, … in the criteria set's order ("TC1")
    code: str
    name: str
    kind: str
    weight: Decimal
    max_score: Decimal
    description: str = ""

    @property
    def short(self) -> str:
        return f"TC{self.number}"

    @property
    def kind_label(self) -> str:
        return str(Criterion.Kind(self.kind).label) if self.kind in Criterion.Kind.values else ""


@dataclass
class ResultRow:
    tenant_id: int
    site_code: str
    name: str
    level: str
    total: Decimal
    rank: int
    of_count: int
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)
    domain: str | None = None
    url: str = ""  # the site's home on its primary domain, filled in by a view


@dataclass
class LevelResults:
    level: str
    label: str
    rows: list[ResultRow]

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class PeriodResults:
    period: Period
    province_name: str
    criteria: list[CriterionInfo]
    levels: list[LevelResults]
    provisional: bool

    @property
    def title(self) -> str:
        return f"Kết quả đánh giá, xếp hạng cổng thông tin điện tử – {self.period.name}"

    def criterion(self, code: str) -> CriterionInfo | None:
        return next((c for c in self.criteria if c.code == code), None)

    def level(self, level: str) -> LevelResults | None:
        return next((group for group in self.levels if group.level == level), None)

    @property
    def ranked_levels(self) -> list[LevelResults]:
        """The levels whose sites are ranked against each other (the province stands alone)."""
        return [group for group in self.levels if group.level != Tenant.Level.PROVINCE]

    def by_criterion(self, code: str) -> list[LevelResults]:
        """Each level's rows ordered by their rank on one criterion."""
        out = []
        for group in self.levels:
            rows = sorted(
                group.rows,
                key=lambda r: (r.ranks.get(code) or len(group.rows) + 1, r.name),
            )
            out.append(LevelResults(group.level, group.label, rows))
        return out

    def rows(self) -> list[ResultRow]:
        return [row for group in self.levels for row in group.rows]


def criteria_of(period: Period) -> list[CriterionInfo]:
    return [
        CriterionInfo(
            number=number,
            code=c.code,
            name=c.name,
            kind=c.kind,
            weight=c.weight,
            max_score=c.max_score,
            description=c.description,
        )
        for number, c in enumerate(period.criteria_set.criteria.all(), start=1)
    ]


def _group(rows: list[ResultRow]) -> list[LevelResults]:
    out = []
    for level in compute.LEVEL_ORDER:
        group = sorted((r for r in rows if r.level == level), key=lambda r: (r.rank, r.name))
        if group:
            out.append(LevelResults(str(level), LEVEL_LABELS[level], group))
    return out


def _domains(tenant_ids: set[int]) -> dict[int, str]:
    from tenants.models import Domain

    return dict(
        Domain.objects.filter(tenant_id__in=tenant_ids, is_primary=True).values_list(
            "tenant_id", "domain"
        )
    )


def _score(raw) -> Decimal | None:
    return None if raw in (None, "") else Decimal(str(raw))


def frozen_rows(period: Period) -> list[ResultRow]:
    results = list(SiteResult.objects.filter(period=period).select_related("tenant"))
    domains = _domains({r.tenant_id for r in results})
    return [
        ResultRow(
            tenant_id=r.tenant_id,
            site_code=r.tenant.code,
            name=r.site_name,
            level=r.level,
            total=r.total,
            rank=r.rank,
            of_count=r.of_count,
            scores={code: _score(v.get("score")) for code, v in r.criteria.items()},
            ranks={code: v.get("rank") for code, v in r.criteria.items()},
            domain=domains.get(r.tenant_id),
        )
        for r in results
    ]


def provisional_rows(period: Period) -> list[ResultRow]:
    scores = compute.site_scores(period)
    domains = _domains({s.tenant.pk for s in scores})
    return [
        ResultRow(
            tenant_id=s.tenant.pk,
            site_code=s.tenant.code,
            name=s.tenant.name,
            level=s.tenant.level,
            total=s.total,
            rank=s.rank,
            of_count=s.of_count,
            scores=dict(s.scores),
            ranks=dict(s.criterion_ranks),
            domain=domains.get(s.tenant.pk),
        )
        for s in scores
    ]


def period_results(period: Period) -> PeriodResults:
    """The results of ``period``: frozen once locked, computed (provisional) while open."""
    provisional = period.status == Period.Status.OPEN
    rows = provisional_rows(period) if provisional else frozen_rows(period)
    return PeriodResults(
        period=period,
        province_name=period.province.name,
        criteria=criteria_of(period),
        levels=_group(rows),
        provisional=provisional,
    )


def published_periods(province: Tenant):
    """The province's published periods, newest first."""
    return Period.objects.filter(province=province, status=Period.Status.PUBLISHED).order_by(
        "-ends_on", "kind", "-pk"
    )


@dataclass
class Trend:
    periods: list[Period]
    # (tenant id, site name, [total per period or None])
    series: list[tuple[int, str, list[Decimal | None]]]
    ranks: dict[int, list[tuple[int, int] | None]] = field(default_factory=dict)


def trend(periods: list[Period], tenant_ids: list[int]) -> Trend:
    """Totals (and ranks) of some sites across ``periods`` (chronological), in one query."""
    index = {p.pk: i for i, p in enumerate(periods)}
    totals: dict[int, list[Decimal | None]] = {pk: [None] * len(periods) for pk in tenant_ids}
    ranks: dict[int, list[tuple[int, int] | None]] = {
        pk: [None] * len(periods) for pk in tenant_ids
    }
    names: dict[int, str] = {}
    rows = SiteResult.objects.filter(period__in=periods, tenant_id__in=tenant_ids).values_list(
        "period_id", "tenant_id", "site_name", "total", "rank", "of_count"
    )
    # Chronological, so that a renamed site is shown under its latest name.
    for period_id, tenant_id, name, total, rank, of_count in sorted(
        rows, key=lambda r: index[r[0]]
    ):
        totals[tenant_id][index[period_id]] = total
        ranks[tenant_id][index[period_id]] = (rank, of_count)
        names[tenant_id] = name
    return Trend(
        periods=periods,
        series=[(pk, names[pk], totals[pk]) for pk in tenant_ids if pk in names],
        ranks=ranks,
    )
