"""The Celery tasks: per-site figures upserted in public, fan-out, progress, nightly refresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from portal.celery_app import app
from tasks.scoring import compute_period_figures, compute_site_figures, refresh_open_periods
from tenants.scoring import periods
from tenants.scoring.metrics import figures_progress
from tenants.scoring.models import Metric, MetricValue, Period
from tests.component_sites import factories

from .conftest import local

pytestmark = pytest.mark.django_db


def stored(period, tenant):
    return {
        f.metric: (f.value, f.numerator, f.denominator, f.note, f.items)
        for f in MetricValue.objects.filter(period=period, tenant=tenant)
    }


def add_article(tenant, at):
    from wagtail.models import Page

    with schema_context(tenant.schema_name):
        article = factories.make_articles(factories.news_index(), 1, with_image=False)[0]
        article.save_revision().publish()
        Page.objects.filter(pk=article.pk).update(first_published_at=at)
    return article


def test_site_figures_are_stored_once_per_metric(sites, period):
    article = add_article(sites.commune, local(2026, 2, 14, 8, 0))

    assert compute_site_figures(period.pk, sites.commune.pk) == len(Metric.values)

    first = stored(period, sites.commune)
    assert set(first) == set(Metric.values)
    value, numerator, _denominator, _note, items = first[Metric.ARTICLES]
    assert (value, numerator) == (1, 1)
    assert items == [
        {
            "label": article.title,
            "url": f"http://nhuantrach.hoabinh.test.localhost/tin-tuc/{article.slug}/",
            "date": "14/02/2026",
            "detail": items[0]["detail"],
            "counted": True,
        }
    ]
    assert len(first[Metric.MANDATORY_SECTIONS][4]) == 7
    # No probe ran: nothing measured, and the note says so.
    assert first[Metric.AVAILABILITY][0] is None
    assert first[Metric.AVAILABILITY][3]


def test_recomputing_changes_nothing(sites, period):
    add_article(sites.commune, local(2026, 2, 14, 8, 0))
    compute_site_figures(period.pk, sites.commune.pk)
    before = stored(period, sites.commune)
    ids = set(MetricValue.objects.values_list("pk", flat=True))

    compute_site_figures(period.pk, sites.commune.pk)
    compute_site_figures.apply(args=(period.pk, sites.commune.pk))  # as a (re)delivered task

    assert stored(period, sites.commune) == before
    assert set(MetricValue.objects.values_list("pk", flat=True)) == ids


def test_recomputing_follows_the_sites_content(sites, period):
    compute_site_figures(period.pk, sites.commune.pk)
    add_article(sites.commune, local(2026, 3, 1, 8, 0))
    compute_site_figures(period.pk, sites.commune.pk)
    assert stored(period, sites.commune)[Metric.ARTICLES][0] == 1
    assert MetricValue.objects.filter(period=period, tenant=sites.commune).count() == 8


def test_a_locked_period_is_not_recomputed(sites, period):
    compute_site_figures(period.pk, sites.commune.pk)
    before = stored(period, sites.commune)
    Period.objects.filter(pk=period.pk).update(status=Period.Status.LOCKED)
    add_article(sites.commune, local(2026, 3, 1, 8, 0))

    assert compute_site_figures(period.pk, sites.commune.pk) is None
    assert compute_site_figures(period.pk, sites.district.pk) is None

    assert stored(period, sites.commune) == before
    assert not MetricValue.objects.filter(period=period, tenant=sites.district).exists()


def test_a_site_outside_the_period_is_refused(sites, period):
    from tenants.models import Tenant

    Tenant.objects.filter(pk=sites.direct_commune.pk).update(status=Tenant.Status.SUSPENDED)
    assert compute_site_figures(period.pk, sites.direct_commune.pk) is None
    assert compute_site_figures(period.pk, 10**9) is None
    assert compute_site_figures(10**9, sites.commune.pk) is None
    assert not MetricValue.objects.exists()


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False
        app.conf.task_eager_propagates = False


def test_period_fan_out_and_progress(sites, period, eager):
    assert figures_progress(period) == (0, 4)

    assert compute_period_figures.delay(period.pk).get() == 4

    period.refresh_from_db()
    assert period.metrics_requested_at is not None
    assert figures_progress(period) == (4, 4)
    assert MetricValue.objects.filter(period=period).count() == 4 * len(Metric.values)
    # Figures older than the latest request do not count as done.
    Period.objects.filter(pk=period.pk).update(
        metrics_requested_at=timezone.now() + dt.timedelta(minutes=5)
    )
    period.refresh_from_db()
    assert figures_progress(period) == (0, 4)


def test_nightly_refresh_recomputes_open_started_periods_only(sites, period, criteria_set, eager):
    future = periods.create_period(sites.province, "year", timezone.localdate().year + 1)
    locked = periods.create_period(sites.province, "half", 2026, 1, criteria_set=criteria_set)
    Period.objects.filter(pk=locked.pk).update(status=Period.Status.LOCKED)

    assert refresh_open_periods.delay().get() == 1

    assert MetricValue.objects.filter(period=period).count() == 4 * len(Metric.values)
    assert not MetricValue.objects.filter(period__in=[future, locked]).exists()


def test_beat_runs_the_probes_and_the_nightly_refresh():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"tasks.scoring.probe_all_sites", "tasks.scoring.refresh_open_periods"} <= tasks
    app.loader.import_default_modules()
    assert {
        "tasks.scoring.probe_all_sites",
        "tasks.scoring.probe_site",
        "tasks.scoring.refresh_open_periods",
        "tasks.scoring.compute_period_figures",
        "tasks.scoring.compute_site_figures",
    } <= set(app.tasks)
