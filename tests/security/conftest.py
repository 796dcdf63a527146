"""Fixtures of the security tests: the test commune's schema and a client on its domain."""

from tests.component_sites.site_fixtures import client, home, section, site_schema  # noqa: F401
