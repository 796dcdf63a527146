"""Fixtures of the scoring tests: a criteria set and an open period; a live HTTP server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.scoring import criteria_sets, periods

# The first quarter of 2026: 01/01/2026 – 31/03/2026 (inclusive, Asia/Ho_Chi_Minh).
Q1_START = dt.date(2026, 1, 1)
Q1_END = dt.date(2026, 3, 31)


def local(*args) -> dt.datetime:
    """An aware datetime in the platform's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def criteria_set(sites):
    return criteria_sets.save_criteria_set(sites.province, list(criteria_sets.DEFAULT_CRITERIA))


@pytest.fixture
def period(sites, criteria_set):
    """Quarter I/2026 of the test province, open."""
    made = periods.create_period(sites.province, "quarter", 2026, 1, criteria_set=criteria_set)
    assert (made.starts_on, made.ends_on) == (Q1_START, Q1_END)
    return made


@pytest.fixture
def in_commune(sites):
    """Run a block inside the test commune's schema: ``with in_commune(): ...``."""
    return lambda: schema_context(sites.commune.schema_name)


@pytest.fixture(scope="module")
def live_site_port(sites, django_db_blocker):
    """The platform served over real HTTP (Django's threaded live server); yields the port.

    Not pytest-django's ``live_server``: that one makes the test transactional, which would
    flush the session's committed sites.
    """
    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield thread.port
        finally:
            thread.terminate()
