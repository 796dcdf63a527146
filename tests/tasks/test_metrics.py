"""Per-site figures computed by the worker in each schema and stored in public."""

import time

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.core.models import SectionPage
from tasks.metrics import refresh_all_site_stats, refresh_site_stats
from tenants.models import SiteStats
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db


def test_site_stats_count_the_sites_own_content(sites):
    refresh_site_stats(sites.commune.pk)
    stats = SiteStats.objects.get(tenant=sites.commune)
    # home page + the ten standard sections, all live; nothing published by editors yet
    assert (stats.pages_live, stats.pages_total, stats.images, stats.documents) == (11, 11, 0, 0)
    assert stats.last_published_at is None


def test_last_publication_is_the_sites_latest(sites):
    with schema_context(sites.commune.schema_name):
        section = SectionPage.objects.get(section_key="news").specific
        section.intro = "<p>Tin mới</p>"
        section.save_revision().publish()
        published = SectionPage.objects.get(pk=section.pk).last_published_at
    connection.set_schema_to_public()
    refresh_site_stats(sites.commune.pk)
    assert SiteStats.objects.get(tenant=sites.commune).last_published_at == published


def test_refreshing_twice_keeps_one_row(sites):
    refresh_site_stats(sites.commune.pk)
    refresh_site_stats(sites.commune.pk)
    assert SiteStats.objects.filter(tenant=sites.commune).count() == 1


def test_fan_out_runs_on_the_worker_for_every_site(celery_worker, sites):
    result = refresh_all_site_stats.delay()
    assert result.get(timeout=30) >= 4
    connection.set_schema_to_public()
    deadline = time.monotonic() + 30
    while SiteStats.objects.count() < 4 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert set(SiteStats.objects.values_list("tenant__code", flat=True)) >= {
        "17",
        "152",
        "04954",
        "04921",
    }


def test_console_tree_shows_the_figures(sites, django_user_model):
    refresh_site_stats(sites.commune.pk)
    user = django_user_model.objects.create_user("xem", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    console_login(client, user)
    body = client.get("/console/").content.decode()
    assert "11 trang · 0 ảnh · 0 tệp" in body
