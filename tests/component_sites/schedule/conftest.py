"""Fixtures: the test commune's schema, its home page and standard sections."""

from tests.component_sites.site_fixtures import client, home, section, site_schema  # noqa: F401
