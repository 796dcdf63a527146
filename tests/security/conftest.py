"""Fixtures of the security tests: those of the content apps (counters cleared, site helpers)."""

from tests.component_sites.conftest import _clean_counters  # noqa: F401
