"""A real Celery worker (in a thread) on the real Redis broker, for the whole module."""

import logging

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery_app import app
from tests.procedure_helpers import eager, syndicate  # noqa: F401


@pytest.fixture(scope="module")
def celery_worker(sites, django_db_blocker):
    # The worker thread opens its own database connection: let it through the blocker.
    with django_db_blocker.unblock():
        app.control.purge()
        root_level = logging.getLogger().level  # the test worker sets the root logger to ERROR
        try:
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
                yield w
        finally:
            logging.getLogger().setLevel(root_level)
