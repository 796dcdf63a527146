"""Computing a site's automatic figures for a period and storing them in public.

The figures themselves are registered by the apps that own the data
(``component_sites.core.figures``; each app's ``figures.py``, the scoring app's own in
``tenants.scoring.figures``).  The page figures run inside the site's schema; the procedure
catalogue and the probes are read from public (``tasks.scoring.compute_site_figures`` is the
only caller that switches).  What each one counts, exactly, is documented in
``docs/scoring.md`` ("Số liệu tự động").
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import Now
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from component_sites.core.figures import Figure, Scope, registered
from tenants.models import Tenant
from tenants.onboarding import site_base_url

from .compute import is_member, period_sites
from .models import Metric, MetricValue, Period


def scope_of(period: Period, tenant: Tenant, today: datetime.date | None = None) -> Scope:
    """What the figures of ``tenant`` for ``period`` measure, as of ``today``."""
    return Scope(
        tenant=tenant,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        today=today or timezone.localdate(),
        base_url=site_base_url(tenant),
    )


# --- computing and storing a site's figures -----------------------------------------------


def compute_site(
    period: Period, tenant: Tenant, today: datetime.date | None = None
) -> dict[str, Figure]:
    """Every figure of ``tenant`` for ``period``, computed in the site's schema."""
    scope = scope_of(period, tenant, today)
    with schema_context(tenant.schema_name):
        return {key: spec.compute(scope) for key, spec in registered().items()}


def store_site(period_id: int, tenant_id: int, figures: dict[str, Figure]) -> bool:
    """Upsert the figures in public unless the period has been locked meanwhile.

    One transaction: the period row is held ``FOR SHARE`` (locking takes it ``FOR UPDATE``,
    so a period locked while the figures were computed keeps its frozen ones), the rows are
    written with one ``INSERT … ON CONFLICT`` and stamped with the database's clock, the
    same clock as ``Period.metrics_requested_at`` (see :func:`figures_progress`).  Writing
    the same figures again changes nothing but ``computed_at``.
    """
    with schema_context(get_public_schema_name()), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status FROM {Period._meta.db_table} WHERE id = %s FOR SHARE",  # noqa: S608
                [period_id],
            )
            row = cursor.fetchone()
        if row is None or row[0] != Period.Status.OPEN:
            return False
        MetricValue.objects.bulk_create(
            [
                MetricValue(
                    period_id=period_id,
                    tenant_id=tenant_id,
                    metric=metric,
                    value=figure.value,
                    numerator=figure.numerator,
                    denominator=figure.denominator,
                    note=figure.note[:500],
                    items=figure.items,
                )
                for metric, figure in figures.items()
            ],
            update_conflicts=True,
            unique_fields=["period", "tenant", "metric"],
            update_fields=["value", "numerator", "denominator", "note", "items"],
        )
        MetricValue.objects.filter(
            period_id=period_id, tenant_id=tenant_id, metric__in=list(figures)
        ).update(computed_at=Now())
    return True


def compute_and_store(period_id: int, tenant_id: int, today=None) -> int | None:
    """Compute and store one site's figures; None (and nothing written) when refused.

    Refused: the period is missing or not open, the site is missing, not a member site of
    the period's province, or has no schema.
    """
    with schema_context(get_public_schema_name()):
        period = Period.objects.select_related("province").filter(pk=period_id).first()
        tenant = Tenant.objects.filter(pk=tenant_id).first()
        if period is None or not period.is_open or tenant is None:
            return None
        if not is_member(period.province, tenant) or not schema_exists(tenant.schema_name):
            return None
    figures = compute_site(period, tenant, today)
    if not store_site(period_id, tenant_id, figures):
        return None
    return len(figures)


def mark_requested(period: Period) -> None:
    """Stamp ``metrics_requested_at`` with the database's clock (see ``store_site``)."""
    with schema_context(get_public_schema_name()):
        Period.objects.filter(pk=period.pk).update(metrics_requested_at=Now())
        period.refresh_from_db(fields=["metrics_requested_at"])


def figures_progress(period: Period) -> tuple[int, int]:
    """(sites whose figures are all computed since the last request, member sites).

    Before any request (``metrics_requested_at`` empty) a site counts as done once it has
    every figure at all.
    """
    with schema_context(get_public_schema_name()):
        site_ids = [site.pk for site in period_sites(period)]
        rows = MetricValue.objects.filter(period_id=period.pk, tenant_id__in=site_ids)
        if period.metrics_requested_at is not None:
            rows = rows.filter(computed_at__gte=period.metrics_requested_at)
        counts = rows.values("tenant_id").annotate(figures=Count("metric", distinct=True))
        done = sum(1 for row in counts if row["figures"] >= len(Metric.values))
    return done, len(site_ids)
