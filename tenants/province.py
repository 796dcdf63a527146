"""Provisioning a whole province from the official list of administrative units.

Resumable: a unit whose site exists is skipped.  One failing site is reported and
does not stop the others (its children are then skipped, as they have no parent).
Sites of one level are created in parallel threads (the clone runs inside
PostgreSQL, so threads overlap well); levels go in order, parents first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection

from .catalog_statistics import analyze_catalogs
from .models import Tenant
from .provisioning import ProvisioningError, provision_site
from .specs import SiteSpec
from .units import Unit, load_units, national_domains

# Refresh catalog statistics after this many new schemas (see tenants.catalog_statistics).
ANALYZE_EVERY = 10


@dataclass
class UnitOutcome:
    unit: Unit
    status: str  # "created" | "skipped" | "failed"
    message: str = ""
    domain: str = ""
    setup_link: str | None = None


@dataclass
class ProvinceReport:
    province: Unit
    model: str
    outcomes: list[UnitOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def plan_province(
    province_code: str, model: str, suffix: str, limit_to: set[str] | None = None
) -> list[tuple[Unit, str]]:
    """(unit, primary domain) for the province and every unit under it, parents first.

    ``limit_to`` keeps only those unit codes and their ancestors (each must belong to
    the province).  Domains are always those of the whole province's plan, so a unit
    gets the same host whether it is created alone or with all the others.
    """
    units = load_units(model)
    province = units.require_province(province_code)
    domains = national_domains(province_code, model, suffix)
    ordered = [province, *units.descendants(province_code)]
    if limit_to is not None:
        keep: set[str] = set()
        for code in limit_to:
            unit: Unit | None = units.require_in_province(code, province_code)
            while unit is not None:
                keep.add(unit.code)
                unit = units.get(unit.parent_code) if unit.parent_code else None
        ordered = [u for u in ordered if u.code in keep]
    return [(unit, domains[unit.code]) for unit in ordered]


def provision_province(
    province_code: str,
    model: str,
    suffix: str = "gov.vn",
    workers: int = 2,
    admin_password: str = "",
    progress: Callable[[UnitOutcome, int, int], None] | None = None,
    limit_to: set[str] | None = None,
) -> ProvinceReport:
    """Create every missing site of a province; see the module docstring."""
    plan = plan_province(province_code, model, suffix, limit_to)
    report = ProvinceReport(province=plan[0][0], model=model)
    started = time.monotonic()
    total = len(plan)
    done = 0
    failed_codes: set[str] = set()
    created_since_analyze = 0
    existing = dict(Tenant.objects.values_list("code", "name"))

    def run_inline(item: tuple[Unit, str]) -> UnitOutcome:
        return _provision_unit(item[0], item[1], existing, failed_codes, admin_password, model)

    def run_in_thread(item: tuple[Unit, str]) -> UnitOutcome:
        try:
            return run_inline(item)
        finally:
            connection.close()  # each thread has its own connection

    for level in ("province", "district", "commune"):
        batch = [(u, d) for u, d in plan if u.level == level]
        if not batch:
            continue
        if workers <= 1:
            # In the caller's thread and connection (and transaction, if any).
            outcomes = map(run_inline, batch)
        else:
            pool = ThreadPoolExecutor(max_workers=workers)
            outcomes = pool.map(run_in_thread, batch)
        try:
            # Outcomes are consumed here, in the caller's thread only: no lock needed.
            for outcome in outcomes:
                done += 1
                report.outcomes.append(outcome)
                if outcome.status == "failed":
                    failed_codes.add(outcome.unit.code)
                if progress:
                    progress(outcome, done, total)
                if outcome.status == "created":
                    created_since_analyze += 1
                    if created_since_analyze >= ANALYZE_EVERY:
                        analyze_catalogs()
                        created_since_analyze = 0
        finally:
            if workers > 1:
                pool.shutdown()
    connection.set_schema_to_public()
    report.seconds = time.monotonic() - started
    return report


def _provision_unit(
    unit: Unit,
    domain: str,
    existing: dict[str, str],
    failed_codes: set[str],
    admin_password: str,
    model: str,
) -> UnitOutcome:
    if unit.code in existing:
        if existing[unit.code] != unit.name:
            return UnitOutcome(
                unit,
                "failed",
                f"mã {unit.code} đã dùng cho trang “{existing[unit.code]}”",
                domain,
            )
        return UnitOutcome(unit, "skipped", "đã có", domain)
    if unit.parent_code and unit.parent_code in failed_codes:
        return UnitOutcome(unit, "failed", "đơn vị cấp trên chưa tạo được", domain)
    spec = SiteSpec(
        name=unit.name,
        level=unit.level,
        code=unit.code,
        parent_code=unit.parent_code,
        domain=domain,
        admin_username="quantri",
        admin_password=admin_password,
        unit_model=model,
    )
    try:
        result = provision_site(spec)
    except ProvisioningError as exc:
        return UnitOutcome(unit, "failed", str(exc), domain)
    return UnitOutcome(unit, "created", "", domain, result.setup_link)
