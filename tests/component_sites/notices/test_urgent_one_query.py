"""The urgent banner and its next change come from one query, the same as the exact reads."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from component_sites.notices import queries
from component_sites.notices.models import UrgentNotice

pytestmark = pytest.mark.django_db


def _notice(title, starts, ends, level=UrgentNotice.Level.WARNING):
    now = timezone.now()
    return UrgentNotice.objects.create(
        title=title,
        message=title,
        level=level,
        starts_at=now + dt.timedelta(minutes=starts),
        ends_at=now + dt.timedelta(minutes=ends),
    )


@pytest.mark.parametrize("rows", [queries.URGENT_ROWS, 3])
def test_showing_and_next_change_match_the_exact_reads(sites, monkeypatch, rows):
    monkeypatch.setattr(queries, "URGENT_ROWS", rows)  # 3: more rows than read at once
    with schema_context(sites.commune.schema_name):
        _notice("Đã hết", -60, -1)
        _notice("Đang có, hết sau", -30, 90)
        _notice("Đang có, khẩn", -20, 120, UrgentNotice.Level.DANGER)
        _notice("Đang có, hết sớm", -10, 45, UrgentNotice.Level.INFO)
        _notice("Sắp có", 30, 200)
        _notice("Sau nữa", 50, 60)
        now = timezone.now()
        with CaptureQueriesContext(connection) as captured:
            showing, change = queries._urgent_state(now)
        assert len(captured.captured_queries) == (1 if rows > 6 else 3)
        assert [n.title for n in showing] == [n.title for n in queries._showing(now)]
        assert [n.title for n in showing] == [
            "Đang có, khẩn",
            "Đang có, hết sau",
            "Đang có, hết sớm",
        ]
        assert change == queries._next_change(now)
        assert change == UrgentNotice.objects.get(title="Sắp có").starts_at


def test_nothing_showing_nothing_to_come(sites):
    with schema_context(sites.commune.schema_name):
        _notice("Đã hết", -60, -1)
        assert queries.current_urgent_notices() == []
        assert queries.next_urgent_change() is None


def test_a_cached_banner_lives_only_until_the_next_start_or_end(sites, settings):
    import time

    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 0
    with schema_context(sites.commune.schema_name):
        _notice("Đang có", -5, 60)
        soon = _notice("Sắp bắt đầu", 0, 60)
        soon.starts_at = timezone.now() + dt.timedelta(seconds=2)
        soon.save()
        state = queries._urgent_state(timezone.now())
        assert 0 <= queries._until_change(state) <= 2
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    assert "Sắp bắt đầu" not in client.get("/").content.decode()
    time.sleep(2.2)  # the start passes with nothing saved: the kept banner has expired
    assert "Sắp bắt đầu" in client.get("/").content.decode()
