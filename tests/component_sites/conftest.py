"""Fixtures of the content apps: a clean counters database; procedure helpers."""

import pytest

from component_sites.core import counters, visits
from tests.procedure_helpers import eager, syndicate  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_counters(sites):
    """Counters live in Redis, outside the rolled-back transaction: clear the test sites'."""

    def clear():
        client = counters.client()
        schemas = [
            sites.province.schema_name,
            sites.district.schema_name,
            sites.commune.schema_name,
            sites.direct_commune.schema_name,
        ]
        keys = (
            [counters.pending_key(s) for s in schemas]
            + [counters.flushing_key(s) for s in schemas]
            + [visits.online_key(s) for s in schemas]
        )
        client.delete(*keys)
        client.srem(counters.DIRTY_SITES, *schemas)

    clear()
    yield
    clear()
