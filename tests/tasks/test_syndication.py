"""Syndication of the master catalogue to the sites (tasks run inline, real PostgreSQL)."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from component_sites.procedures.models import ProcedureCopy
from tenants.procedures import services, syndication
from tenants.procedures.models import ProcedureVersion, SyndicationReceipt
from tests.procedure_helpers import edit_procedure, make_procedure

pytestmark = pytest.mark.django_db


def copies(tenant):
    with schema_context(tenant.schema_name):
        return {c.code: c for c in ProcedureCopy.objects.all()}


def test_a_commune_procedure_reaches_every_commune_and_only_communes(sites, syndicate):
    with syndicate():
        procedure = make_procedure("9.900001")
    assert "9.900001" in copies(sites.commune)
    assert "9.900001" in copies(sites.direct_commune)
    assert "9.900001" not in copies(sites.district)
    assert "9.900001" not in copies(sites.province)
    receipts = SyndicationReceipt.objects.filter(procedure=procedure, version=1)
    assert {(r.tenant_id, r.status) for r in receipts} == {
        (sites.commune.pk, "done"),
        (sites.direct_commune.pk, "done"),
    }


def test_an_update_makes_a_new_version_and_keeps_local_fields(sites, syndicate):
    with syndicate():
        procedure = make_procedure("9.900002")
    with schema_context(sites.commune.schema_name):
        ProcedureCopy.objects.filter(code="9.900002").update(
            receiving_office="Bộ phận Một cửa UBND xã", opening_hours="Sáng thứ Bảy"
        )
    connection.set_schema_to_public()
    with syndicate():
        edit_procedure(procedure, fees="Lệ phí 8.000 đồng.")
    copy = copies(sites.commune)["9.900002"]
    assert (copy.version, copy.fees) == (2, "Lệ phí 8.000 đồng.")
    assert copy.receiving_office == "Bộ phận Một cửa UBND xã"
    assert copy.opening_hours == "Sáng thứ Bảy"
    assert list(procedure.versions.values_list("version", flat=True)) == [2, 1]


def test_saving_without_a_change_makes_no_version(sites, syndicate):
    with syndicate():
        procedure = make_procedure("9.900003")
        edit_procedure(procedure)
    assert ProcedureVersion.objects.filter(procedure=procedure).count() == 1


def test_duplicated_and_late_tasks_change_nothing(sites, syndicate):
    with syndicate():
        procedure = make_procedure("9.900004")
    with syndicate():
        edit_procedure(procedure, fees="Phí mới.")
    schema = sites.commune.schema_name
    # v1 arriving late, and v2 delivered twice:
    assert syndication.apply_batch(sites.commune.pk, schema, [(procedure.pk, 1)]) == 0
    assert syndication.apply_batch(sites.commune.pk, schema, [(procedure.pk, 2)]) == 0
    copy = copies(sites.commune)["9.900004"]
    assert (copy.version, copy.fees) == (2, "Phí mới.")
    with schema_context(schema):
        assert ProcedureCopy.objects.filter(code="9.900004").count() == 1
    assert SyndicationReceipt.objects.filter(tenant=sites.commune, procedure=procedure).count() == 2


def test_withdrawing_the_master_withdraws_the_copies(sites, syndicate):
    with syndicate():
        procedure = make_procedure("9.900005")
    with syndicate():
        services.withdraw(procedure)
    assert copies(sites.commune)["9.900005"].status == "withdrawn"
    assert copies(sites.direct_commune)["9.900005"].status == "withdrawn"


def test_a_district_procedure_reaches_its_communes_only(sites, syndicate):
    with syndicate():
        make_procedure("LS.0001", owner=sites.district.code, levels=["commune"])
    assert "LS.0001" in copies(sites.commune)  # under the district
    assert "LS.0001" not in copies(sites.direct_commune)  # directly under the province
    assert copies(sites.commune)["LS.0001"].origin == sites.district.name


def test_a_new_site_gets_its_full_set_from_its_setup_after_provisioning(sites, syndicate):
    from tenants.provisioning import provision_site
    from tenants.specs import SiteSpec

    with syndicate():
        make_procedure("9.900006")
        make_procedure("LS.0002", owner=sites.district.code, levels=["commune"])
        make_procedure("9.900007", levels=["district"])
    with syndicate():
        new = provision_site(
            SiteSpec(
                name="Thị trấn Lương Sơn",
                level="commune",
                code="04924",
                parent_code="152",
                domain="ttls.hoabinh.test.localhost",
                admin_password="x-Mat-khau-2026",
            ),
            send_invitation=False,
        ).tenant
        # The request returns with the template's province-wide set; the parent's own
        # procedures come with the setup task queued on commit.
        assert set(copies(new)) & {"9.900006", "LS.0002"} == {"9.900006"}
    held = copies(new)
    assert {"9.900006", "LS.0002"} <= set(held)
    assert "9.900007" not in held
    assert SyndicationReceipt.objects.filter(tenant=new, status="done").count() >= 2


def test_template_schemas_carry_the_province_wide_set(sites, syndicate):
    with syndicate():
        make_procedure("9.900008", levels=["commune", "district"])
        make_procedure("LS.0003", owner=sites.district.code, levels=["commune"])
    held = syndication.missing_items(
        "tpl_commune", syndication.procedures_for_tenant(sites.direct_commune)
    )
    codes = {p for p, _v in held}
    from tenants.procedures.models import Procedure

    assert Procedure.objects.get(code="9.900008").pk not in codes


def test_a_failure_is_recorded_with_its_error_and_retried(sites, syndicate):
    from tenants.models import Tenant

    real = sites.direct_commune.schema_name
    Tenant.objects.filter(pk=sites.direct_commune.pk).update(schema_name="khong_ton_tai")
    with syndicate():
        procedure = make_procedure("9.900009")
    receipt = SyndicationReceipt.objects.get(tenant=sites.direct_commune, procedure=procedure)
    assert receipt.status == "failed"
    assert "khong_ton_tai" in receipt.error
    Tenant.objects.filter(pk=sites.direct_commune.pk).update(schema_name=real)
    assert syndication.retry_failed(procedure=procedure) == 1
    receipt.refresh_from_db()
    assert (receipt.status, receipt.error) == ("done", "")
    assert "9.900009" in copies(sites.direct_commune)


def test_reconcile_queues_what_stayed_pending_and_what_was_never_fanned_out(sites, eager):
    from datetime import timedelta

    from tenants.procedures.models import Procedure

    procedure = make_procedure("9.900010")  # on-commit fan-out never ran (a lost message)
    assert Procedure.objects.get(pk=procedure.pk).fanned_out_version == 0
    outcome = syndication.reconcile(older_than=timedelta(0))
    assert outcome["fanned_out"] == 1
    assert "9.900010" in copies(sites.commune)
    assert not syndication.current_receipts().filter(procedure=procedure).exclude(status="done")


def test_a_merged_site_receives_nothing_more(sites, syndicate):
    """A merged (archived) site's schema is read-only: fan-out, retries and late tasks skip it."""
    from tenants import merging

    with syndicate():
        first = make_procedure("9.900091")
    merging.merge_now(sites.direct_commune, [sites.commune])
    sites.commune.refresh_from_db()
    assert sites.commune.status == sites.commune.Status.ARCHIVED
    assert sites.commune not in syndication.target_tenants(first)
    with syndicate():
        make_procedure("9.900092")
        edit_procedure(first, fees="Lệ phí 9.000 đồng.")
    assert "9.900092" in copies(sites.direct_commune)
    held = copies(sites.commune)
    assert "9.900092" not in held and held["9.900091"].version == 1
    assert not SyndicationReceipt.objects.filter(tenant=sites.commune, version=2).exists()
    # A task queued before the merge, delivered after it, writes nothing either.
    late = [(first.pk, 2)]
    assert syndication.apply_batch(sites.commune.pk, sites.commune.schema_name, late) == 0
    assert copies(sites.commune)["9.900091"].version == 1
    # Nor do retries of its old receipts go out again.
    SyndicationReceipt.objects.filter(tenant=sites.commune).update(status="failed")
    assert syndication.retry_failed(tenant=sites.commune) == 0
