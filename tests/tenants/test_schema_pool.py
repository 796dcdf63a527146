"""The pool of ready site schemas: taken by provisioning, fallback, refresh, concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Site

from tenants.models import PooledSchema
from tenants.provisioning import ProvisioningError, provision_site
from tenants.schema_pool import drain_pool, refill_pool, take_pooled_schema, template_fingerprint
from tenants.specs import SiteSpec
from tests.committed import committed

pytestmark = pytest.mark.django_db

POOL_ONE_COMMUNE = {"province": 0, "district": 0, "commune": 1}
POOL_TWO_COMMUNES = {"province": 0, "district": 0, "commune": 2}


def spec(code="04960", domain="xapool.hoabinh.test.localhost", **overrides):
    values = dict(
        name="Xã Thử Nghiệm",
        level="commune",
        code=code,
        parent_code="152",
        domain=domain,
        admin_password="",
    )
    values.update(overrides)
    return SiteSpec(**values)


@override_settings(SITE_SCHEMA_POOL_SIZE=POOL_ONE_COMMUNE)
def test_provisioning_renames_a_ready_clone_instead_of_cloning(sites):
    refill_pool()
    pooled = PooledSchema.objects.get(level="commune")
    assert schema_exists(pooled.schema_name)

    result = provision_site(spec())

    assert result.from_pool
    assert not schema_exists(pooled.schema_name)
    assert not PooledSchema.objects.exists()
    with schema_context("c_04960"):
        site = Site.objects.get(is_default_site=True)
        assert (site.hostname, site.root_page.title) == (
            "xapool.hoabinh.test.localhost",
            "Xã Thử Nghiệm",
        )


@override_settings(SITE_SCHEMA_POOL_SIZE=POOL_ONE_COMMUNE)
def test_an_empty_pool_falls_back_to_a_clone(sites):
    refill_pool()
    first = provision_site(spec())
    second = provision_site(spec(code="04961", domain="xapool2.hoabinh.test.localhost"))

    assert first.from_pool and not second.from_pool
    assert schema_exists("c_04961")
    with schema_context("c_04961"):
        assert Site.objects.get().hostname == "xapool2.hoabinh.test.localhost"


@override_settings(SITE_SCHEMA_POOL_SIZE=POOL_ONE_COMMUNE)
def test_a_failed_provisioning_gives_the_schema_back_to_the_pool(sites):
    refill_pool()
    pooled = PooledSchema.objects.get().schema_name
    # The admin name is refused inside the transaction, after the schema was taken.
    with pytest.raises(ProvisioningError):
        provision_site(spec(admin_username="bad name with spaces"))
    assert PooledSchema.objects.get().schema_name == pooled
    assert schema_exists(pooled) and not schema_exists("c_04960")


@override_settings(SITE_SCHEMA_POOL_SIZE=POOL_ONE_COMMUNE)
def test_clones_of_a_changed_template_are_never_handed_out_and_are_replaced(sites):
    refill_pool()
    old = PooledSchema.objects.get().schema_name
    before = template_fingerprint("tpl_commune")
    # A migration applied to the template after the clone was made.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tpl_commune.django_migrations (app, name, applied) "
            "VALUES ('core', '9999_test_only', now())"
        )
    assert template_fingerprint("tpl_commune") != before

    with transaction.atomic():
        assert take_pooled_schema("commune", "tpl_commune", "c_should_not_exist") is False
        transaction.set_rollback(True)

    report = refill_pool()
    assert report.dropped["commune"] == 1 and report.created["commune"] == 1
    fresh = PooledSchema.objects.get()
    assert fresh.schema_name != old and not schema_exists(old)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {fresh.schema_name}.django_migrations WHERE name = %s",  # noqa: S608
            ["9999_test_only"],
        )
        assert cursor.fetchone()[0] == 1


@override_settings(SITE_SCHEMA_POOL_SIZE=POOL_TWO_COMMUNES)
def test_refill_tops_up_to_the_pool_size_and_is_idempotent(sites):
    first = refill_pool()
    second = refill_pool()
    assert first.created["commune"] == 2 and first.ready["commune"] == 2
    assert second.created["commune"] == 0 and second.ready["commune"] == 2
    assert PooledSchema.objects.filter(level="district").count() == 0


def _claim_concurrently(count: int) -> list[str | None]:
    """``count`` threads, each in its own transaction, take a schema at the same moment."""
    barrier = threading.Barrier(count)
    results: list[str | None] = []
    errors: list[BaseException] = []

    def claim(index: int) -> None:
        try:
            connection.set_schema_to_public()
            with transaction.atomic():
                barrier.wait(timeout=30)
                name = f"c_race_{index}"
                took = take_pooled_schema("commune", "tpl_commune", name)
                # Hold the transaction (and the row lock) until every thread has tried.
                barrier.wait(timeout=30)
                results.append(name if took else None)
                transaction.set_rollback(True)
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@override_settings(SITE_SCHEMA_POOL_SIZE=POOL_TWO_COMMUNES)
def test_concurrent_provisionings_never_share_a_pooled_schema(sites):
    committed(refill_pool)
    try:
        results = _claim_concurrently(3)
    finally:
        committed(drain_pool)
    taken = [name for name in results if name]
    # Two ready schemas, three takers: two distinct schemas handed out, one fallback.
    assert len(taken) == 2 and len(set(taken)) == 2
    assert results.count(None) == 1
