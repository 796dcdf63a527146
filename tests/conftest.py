"""Shared fixtures: real PostgreSQL and Redis; sites created once per session by cloning.

The session builds the template schemas once, then provisions a small province
(three-level and two-level branches) by cloning.  Tests run inside a transaction
that is rolled back, so a test may create or change sites freely.

Each site's admin ``quantri`` has enrolled an authenticator app (two-factor
authentication is required of site admins): tests that log in through ``/admin/login/``
enter its current code, computed from the device's key (``tests.two_factor``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context

from tenants.models import Tenant
from tenants.provisioning import provision_site
from tenants.site_templates import ensure_template_schemas
from tenants.specs import SiteSpec
from tests.two_factor import give_totp_device, next_code

ADMIN_PASSWORD = "Mat-khau-thu-nghiem-2026"


def pytest_configure(config):
    """The Vietnamese catalogue is build output: compile it if missing or stale."""
    from portal.catalogue import compile_catalogues

    compile_catalogues()


@dataclass
class Sites:
    province: Tenant
    district: Tenant
    commune: Tenant
    direct_commune: Tenant  # commune directly under the province (two-level model)


SPECS = [
    SiteSpec(
        name="Tỉnh Hoà Bình",
        level="province",
        code="17",
        domain="hoabinh.test.localhost",
        aliases=["www.hoabinh.test.localhost"],
        unit_model="three-level",
    ),
    SiteSpec(
        name="Huyện Lương Sơn",
        level="district",
        code="152",
        parent_code="17",
        domain="luongson.hoabinh.test.localhost",
    ),
    SiteSpec(
        name="Xã Nhuận Trạch",
        level="commune",
        code="04954",
        parent_code="152",
        domain="nhuantrach.hoabinh.test.localhost",
        aliases=["xanhuantrach.hoabinh.test.localhost"],
    ),
    SiteSpec(
        name="Xã Độc Lập",
        level="commune",
        code="04921",
        parent_code="17",
        domain="doclap.hoabinh.test.localhost",
    ),
]


@pytest.fixture(scope="session")
def sites(django_db_setup, django_db_blocker) -> Iterator[Sites]:
    """The test province, committed once for the whole session."""
    name = connection.settings_dict["NAME"]
    if not name.startswith("test_"):
        # pytest-django only swaps in the test database when a collected test is marked
        # django_db; never provision into a real database.
        pytest.fail(f"refusing to create test sites in database {name!r}: mark the test django_db")
    with django_db_blocker.unblock():
        ensure_template_schemas(report=lambda _msg: None)
        made = []
        for spec in SPECS:
            spec.admin_username = "quantri"
            spec.admin_password = ADMIN_PASSWORD
            spec.admin_email = f"quantri@{spec.domain}"
            made.append(provision_site(spec).tenant)
        for tenant in made:
            with schema_context(tenant.schema_name):
                give_totp_device(get_user_model().objects.get(username="quantri"))
        connection.set_schema_to_public()
    yield Sites(*made)
    # Server and worker threads keep connections of their own; close them so that
    # pytest-django can drop the test database.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def admin_code(tenant, username: str = "quantri") -> str:
    """The code the site admin's authenticator app shows now (for the second login step)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with schema_context(tenant.schema_name):
        return next_code(TOTPDevice.objects.get(user__username=username, confirmed=True))


def _forget_counter_mirrors() -> None:
    """Stored-counter mirrors in Redis outlive a rolled-back test's table rows."""
    from component_sites.core import counters

    client = counters.client()
    stale = list(client.scan_iter(match="counters:stored:*", count=1000))
    if stale:
        client.delete(*stale)


@pytest.fixture(autouse=True)
def _back_to_public():
    """Every test starts and ends on the public schema, with an empty cache.

    Cached pages outlive a test's rolled-back transaction; a later test must not be
    served a page made from data that no longer exists.
    """
    from django.core.cache import cache

    connection.set_schema_to_public()
    cache.clear()
    _forget_counter_mirrors()
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _fresh_sites(request):
    """A test that changed a site object (renamed, suspended...) leaves the next one unaffected."""
    if "sites" not in request.fixturenames or not request.node.get_closest_marker("django_db"):
        return
    sites = request.getfixturevalue("sites")
    for tenant in (sites.province, sites.district, sites.commune, sites.direct_commune):
        tenant.refresh_from_db()
