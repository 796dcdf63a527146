"""A failure at any step of a pooled provisioning leaves nothing: no rows, the schema pooled."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.test import override_settings
from django_tenants.utils import schema_exists
from wagtail.models import ModelLogEntry

from tenants import provisioning, site_setup
from tenants.models import Domain, PooledSchema, SiteSetup, Tenant
from tenants.provisioning import ProvisioningError, provision_site
from tenants.schema_pool import refill_pool
from tenants.specs import SiteSpec

pytestmark = pytest.mark.django_db

POOL_ONE_COMMUNE = {"province": 0, "district": 0, "commune": 1}


def spec(**overrides):
    values = dict(
        name="Xã Thử Nghiệm",
        level="commune",
        code="04960",
        parent_code="152",
        domain="xapool.hoabinh.test.localhost",
        admin_password="",
        admin_email="canbo@xapool.gov.vn",
    )
    values.update(overrides)
    return SiteSpec(**values)


def state():
    connection.set_schema_to_public()
    return (
        sorted(Tenant.objects.values_list("code", flat=True)),
        sorted(Domain.objects.values_list("domain", flat=True)),
        sorted(PooledSchema.objects.values_list("schema_name", flat=True)),
        SiteSetup.objects.count(),
        ModelLogEntry.objects.filter(action="tenants.create").count(),
    )


STEPS = [
    (provisioning, "forget_hostnames"),
    (provisioning, "take_pooled_schema"),
    (provisioning, "configure_site_schema"),
    (provisioning, "audit_creation"),
    (site_setup, "record"),
]


@override_settings(SITE_SCHEMA_POOL_SIZE=POOL_ONE_COMMUNE)
@pytest.mark.parametrize(("module", "name"), STEPS, ids=[name for _m, name in STEPS])
def test_a_failure_after_each_step_undoes_everything_and_queues_nothing(
    sites, module, name, monkeypatch, django_capture_on_commit_callbacks
):
    refill_pool()
    pooled = PooledSchema.objects.get().schema_name
    before = state()
    real = getattr(module, name)

    def then_fail(*args, **kwargs):
        real(*args, **kwargs)  # the step's writes are made, then the database refuses
        raise DatabaseError(f"injected after {name}")

    monkeypatch.setattr(module, name, then_fail)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ProvisioningError) as info,
    ):
        provision_site(spec())
    assert f"injected after {name}" in str(info.value)
    assert state() == before
    assert schema_exists(pooled) and not schema_exists("c_04960")
    assert callbacks == []  # no task, no e-mail, no refill for a site that does not exist


@override_settings(SITE_SCHEMA_POOL_SIZE=POOL_ONE_COMMUNE)
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"admin_email": "không phải thư"}, "admin_email"),
        ({"admin_username": "tên có dấu cách"}, "admin_username"),
        ({"domain": "hoabinh.test.localhost"}, "domain"),
    ],
)
def test_bad_input_is_refused_before_a_pooled_schema_is_taken(sites, overrides, field):
    refill_pool()
    pooled = PooledSchema.objects.get().schema_name
    before = state()
    with pytest.raises(ProvisioningError) as info:
        provision_site(spec(**overrides))
    assert field in info.value.messages
    assert state() == before and schema_exists(pooled)


@override_settings(SITE_SCHEMA_POOL_SIZE=POOL_ONE_COMMUNE)
def test_bad_site_and_admin_input_are_reported_together(sites):
    with pytest.raises(ProvisioningError) as info:
        provision_site(spec(code="", admin_email="sai"))
    assert {"code", "admin_email"} <= set(info.value.messages)
