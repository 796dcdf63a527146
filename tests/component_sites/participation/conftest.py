"""Fixtures: the test commune's schema, its home page and standard sections."""

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


@pytest.fixture
def questions_page(section):
    return section("questions")


@pytest.fixture
def solved():
    """A fresh captcha token and its right answer (read back from the signed token)."""
    from django.core import signing

    from component_sites.participation import guards

    def make():
        _question, token = guards.new_captcha()
        answer = signing.loads(token, salt=guards.CAPTCHA_SALT)["a"]
        return {"captcha_token": token, "captcha_answer": str(answer)}

    return make


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
