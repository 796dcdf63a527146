"""Provisioning a province from the official units: resumable, failures isolated, reported."""

import io
import stat

import pytest
from django.core.management import CommandError, call_command

from tenants.models import Domain, Tenant
from tenants.province import plan_province, provision_province
from tenants.units import UnitOutsideProvinceError, UnknownUnitError

pytestmark = pytest.mark.django_db

SUFFIX = "test.localhost"


def test_plan_puts_parents_first_with_national_domains():
    plan = plan_province("17", "three-level", SUFFIX, limit_to={"04804"})
    assert [(u.code, host) for u, host in plan] == [
        ("17", "hoabinh.test.localhost"),
        ("148", "tphoabinh.hoabinh.test.localhost"),
        ("04804", "dongtien.hoabinh.test.localhost"),
    ]


def test_missing_units_are_created_existing_ones_skipped_and_rerun_changes_nothing(sites):
    report = provision_province("17", "three-level", SUFFIX, workers=1, limit_to={"04804", "04957"})
    by_code = {o.unit.code: o for o in report.outcomes}
    assert {c: o.status for c, o in by_code.items()} == {
        "17": "skipped",
        "148": "created",
        "152": "skipped",
        "04804": "created",
        "04957": "created",
    }
    commune = Tenant.objects.get(code="04804")
    assert commune.parent.code == "148"
    assert commune.primary_domain == "dongtien.hoabinh.test.localhost"
    assert "/admin/password_reset/confirm/" in by_code["04804"].setup_link

    again = provision_province("17", "three-level", SUFFIX, workers=1, limit_to={"04804", "04957"})
    assert {o.status for o in again.outcomes} == {"skipped"}


def test_one_failing_site_does_not_stop_the_others(sites):
    Domain.objects.create(
        domain="tphoabinh.hoabinh.test.localhost", tenant=sites.commune, is_primary=False
    )
    report = provision_province("17", "three-level", SUFFIX, workers=1, limit_to={"04804", "04957"})
    by_code = {o.unit.code: o for o in report.outcomes}
    assert by_code["148"].status == "failed"
    assert "đã được gán" in by_code["148"].message
    assert by_code["04804"].status == "failed"
    assert by_code["04804"].message == "đơn vị cấp trên chưa tạo được"
    assert by_code["04957"].status == "created"
    assert not Tenant.objects.filter(code__in=["148", "04804"]).exists()


def test_unknown_province_and_unit_of_another_province_are_refused():
    with pytest.raises(UnknownUnitError):
        plan_province("00", "three-level", SUFFIX)
    with pytest.raises(UnitOutsideProvinceError):
        plan_province("17", "three-level", SUFFIX, limit_to={"00001"})  # Phúc Xá, Hà Nội


def test_command_reports_bad_input_clearly(sites):
    with pytest.raises(CommandError) as info:
        call_command("provision_province", "--code=99", "--model=three-level")
    assert "99" in str(info.value)
    with pytest.raises(CommandError) as info:
        call_command("provision_province", "--code=17", "--model=three-level", "--units=00001")
    assert "Hà Nội" in str(info.value)
    assert Tenant.objects.count() == 4


def test_command_writes_a_summary_and_the_links_file(sites, tmp_path, capsys):
    links = tmp_path / "links.csv"
    call_command(
        "provision_province",
        "--code=17",
        "--model=three-level",
        f"--suffix={SUFFIX}",
        "--workers=1",
        "--units=04804",
        f"--links-file={links}",
    )
    captured = capsys.readouterr()
    assert "tạo mới 2, đã có 1, lỗi 0" in captured.out
    assert "3/3 + Phường Đồng Tiến" in captured.err  # the progress bar
    rows = links.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "ma,ten,ten_mien,tai_khoan,lien_ket_dat_mat_khau"
    assert any(
        r.startswith("04804,Phường Đồng Tiến,dongtien.hoabinh.test.localhost,quantri,http")
        for r in rows
    )


def test_links_file_defaults_to_the_working_folder_owner_only_and_never_overwritten(
    sites, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    earlier = tmp_path / "provision-17-links.csv"
    earlier.write_text("an earlier run's links\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "provision_province",
        "--code=17",
        "--model=three-level",
        f"--suffix={SUFFIX}",
        "--workers=1",
        "--units=04804",
        stdout=out,
        stderr=io.StringIO(),
    )
    written = tmp_path / "provision-17-links-2.csv"
    assert earlier.read_text(encoding="utf-8") == "an earlier run's links\n"
    assert "dongtien.hoabinh.test.localhost" in written.read_text(encoding="utf-8")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert str(written) in out.getvalue()


def test_catalog_statistics_are_refreshed_during_bulk_creation(sites, monkeypatch):
    import tenants.province as province_module
    from tenants.catalog_statistics import analyze_catalogs

    calls = []

    def counting_analyze():
        calls.append(1)
        analyze_catalogs()  # the real ANALYZE, inside the test's transaction

    monkeypatch.setattr(province_module, "ANALYZE_EVERY", 1)
    monkeypatch.setattr(province_module, "analyze_catalogs", counting_analyze)
    report = provision_province("17", "three-level", SUFFIX, workers=1, limit_to={"04804"})
    assert report.count("created") == 2
    assert len(calls) == 2
