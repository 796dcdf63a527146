"""Fixtures for tests that run inside the test commune: its schema, home page, sections, a client.

Imported by the conftest of each folder that wants them (not global: the news and documents
tests use pytest-django's own `client`).
"""

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Site

from component_sites.core.models import SectionPage


@pytest.fixture
def site_schema(sites):
    """Run the test inside the commune's schema; yields the tenant."""
    with schema_context(sites.commune.schema_name):
        yield sites.commune


@pytest.fixture
def home(site_schema):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def section(home):
    def find(key):
        return SectionPage.objects.child_of(home).get(section_key=key).specific

    return find


@pytest.fixture
def client(site_schema):
    """A client whose requests go to the commune's domain."""
    return Client(HTTP_HOST=site_schema.primary_domain)
