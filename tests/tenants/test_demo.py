"""The demo province: two-level by default (with the 2025 reform as a merge), three-level
on request; units, names, codes and hosts from the shipped official lists."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from component_sites.core.text import ascii_slug
from tenants.demo import DEMO_PASSWORD, demo_specs, province_name, reform_demo
from tenants.models import Tenant
from tenants.procedures import syndication
from tenants.units import load_units


def test_the_default_demo_is_the_two_level_province_of_phu_tho():
    specs = demo_specs()
    units = load_units("two-level")
    province, communes = specs[0], specs[1:]
    assert (province.name, province.code, province.domain) == (
        "Tỉnh Phú Thọ",
        "25",
        "phutho.localhost",
    )
    assert province_name() == "Tỉnh Phú Thọ"
    assert len(communes) >= 6
    for spec in specs:
        unit = units.require_in_province(spec.code, "25")
        assert (spec.name, spec.level, spec.unit_model) == (unit.name, unit.level, "two-level")
        assert spec.domain.endswith("phutho.localhost")
    assert all(spec.parent_code == "25" and spec.level == "commune" for spec in communes)
    names = {spec.name: spec.domain for spec in communes}
    assert names["Phường Hòa Bình"] == "hoabinh.phutho.localhost"
    assert names["Xã Lương Sơn"] == "luongson.phutho.localhost"
    assert names["Xã Mai Châu"] == "maichau.phutho.localhost"
    assert len(set(names.values())) == len(names)


def test_the_reform_merges_former_three_level_units_into_a_new_commune():
    reform = reform_demo()
    old = load_units("three-level")
    assert reform.into in {spec.code for spec in demo_specs()}
    assert [spec.name for spec in reform.former] == ["Huyện Lương Sơn", "Xã Hòa Sơn", "Xã Tân Vinh"]
    for spec in reform.former:
        assert old.require_in_province(spec.code, "17").name == spec.name
        assert spec.unit_model == "three-level" and spec.domain.endswith(".hoabinh.localhost")
    district, *communes = reform.former
    assert district.parent_code == "25" and all(c.parent_code == "152" for c in communes)


def test_the_three_level_option_lists_districts_and_their_communes():
    specs = demo_specs(model="three-level")
    assert specs[0].name == "Tỉnh Hoà Bình" and specs[0].domain == "hoabinh.localhost"
    levels = {spec.code: spec.level for spec in specs}
    assert list(levels.values()).count("district") == 3
    for spec in specs[1:]:
        expected = "province" if spec.level == "district" else "district"
        assert levels[spec.parent_code] == expected
    with pytest.raises(ValueError, match="không có"):
        demo_specs(model="bốn-cấp")


def _move_test_sites_out_of_the_way(sites) -> None:
    # The session's test province uses codes the demo needs (17, 152…); this test's
    # transaction is rolled back afterwards.
    # Schema names derive from codes (p_17, d_152…): the schemas move aside too (DDL is
    # transactional in PostgreSQL: the rollback puts them back).
    from django.db import connection

    for number, site in enumerate(
        (sites.province, sites.district, sites.commune, sites.direct_commune)
    ):
        aside = f"{site.schema_name}_aside"
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER SCHEMA "{site.schema_name}" RENAME TO "{aside}"')
        Tenant.objects.filter(pk=site.pk).update(code=f"9{number}", schema_name=aside)


# A test builds its sites inside one transaction, and every new schema holds its locks
# until the end of it: the whole demo (11 schemas) runs PostgreSQL out of lock memory
# (max_locks_per_transaction).  These tests build a few units of each part of the demo;
# the selection itself is checked above, and ``bench/first_run.py`` builds all of it.
SMALL_SELECTION = {
    "two-level": {"province": "25", "units": ["04924"]},
    "three-level": {"province": "17", "units": ["152", "04924"]},
    "reform": {"into": "04924", "former_province": "17", "units": ["152", "04945"]},
}


@pytest.fixture
def small_demo(sites, monkeypatch):
    _move_test_sites_out_of_the_way(sites)
    monkeypatch.setattr("tenants.demo.demo_selection", lambda: SMALL_SELECTION)


@pytest.mark.django_db
def test_the_two_level_demo_builds_its_hosts_answer_and_the_reform_is_a_merge(small_demo):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    client = Client()
    for spec in demo_specs():
        response = client.get("/", HTTP_HOST=spec.domain)
        assert response.status_code == 200, (spec.name, out.getvalue())
        assert spec.name.lower() in response.content.decode().lower()
    survivor = Tenant.objects.get(code="04924")
    assert (survivor.name, survivor.unit_model) == ("Xã Lương Sơn", "two-level")
    for site in Tenant.objects.filter(code__in=[spec.code for spec in demo_specs()]):
        with schema_context(site.schema_name):
            admin = get_user_model().objects.get(username="quantri")
            assert admin.check_password(DEMO_PASSWORD) and admin.is_superuser
    reform = reform_demo()
    for spec in reform.former:
        site = Tenant.objects.get(code=spec.code)
        assert site.status == Tenant.Status.ARCHIVED and site.merged_into == survivor
        old = client.get("/tin-tuc/", HTTP_HOST=spec.domain)
        assert old.status_code == 301
        location = urlsplit(old["Location"])
        assert location.netloc == "luongson.phutho.localhost"
        assert location.path == f"/tin-tuc/{ascii_slug(spec.name)}/"
        assert client.get(location.path, HTTP_HOST=location.netloc).status_code == 200
    # The audit trail is in public (the requests above left a site's schema selected).
    from django.db import connection

    connection.set_schema_to_public()
    entry = ModelLogEntry.objects.for_instance(survivor).get(action="tenants.merge")
    assert set(entry.data["absorbed"]) == {spec.name for spec in reform.former}
    assert entry.user.username == "quantri"
    # A second run changes nothing.
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "Sáp nhập" not in again.getvalue()
    assert Tenant.objects.filter(merged_into=survivor).count() == len(reform.former)
    # The absorbed sites are out of syndication.
    from tests.procedure_helpers import make_procedure

    procedure = make_procedure("9.900093")
    targets = set(syndication.target_tenants(procedure).values_list("code", flat=True))
    assert "04924" in targets and not targets & {spec.code for spec in reform.former}


@pytest.mark.django_db
def test_the_three_level_option_builds_and_never_shares_a_database(small_demo, monkeypatch):
    # The structure is what this test is about: no content, which the two-level test builds.
    monkeypatch.setattr("tenants.demo_build.build_demo_content", lambda tenant: {})
    call_command("seed_demo", model="three-level", stdout=io.StringIO())
    for spec in demo_specs(model="three-level"):
        site = Tenant.objects.get(code=spec.code)
        assert (site.level, site.unit_model, site.primary_domain) == (
            spec.level,
            "three-level",
            spec.domain,
        )
        assert Client().get("/", HTTP_HOST=spec.domain).status_code == 200
    assert Tenant.objects.get(code="04924").parent.name == "Huyện Lương Sơn"
    assert not Tenant.objects.filter(status=Tenant.Status.ARCHIVED).exists()
    # The two-level demo shares codes with it (04924): refused, nothing changes.
    before = Tenant.objects.count()
    with pytest.raises(CommandError, match="cần một cơ sở dữ liệu riêng"):
        call_command("seed_demo", stdout=io.StringIO())
    assert Tenant.objects.count() == before
