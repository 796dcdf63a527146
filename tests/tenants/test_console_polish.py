"""Console polish for a provincial officer: tree filters, specific refusals, the audit trail."""

import pytest
from django.db import connection

from tenants import lifecycle
from tests.tenants.test_console import console  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def tree(console, **params):  # noqa: F811
    return console.get("/console/", params).content.decode()


def names_in(body, sites):
    return {site.name for site in sites if f">{site.name}</a>" in body}


def test_tree_filters_by_name_without_diacritics(sites, console):  # noqa: F811
    body = tree(console, q="nhuan trach")
    assert names_in(body, [sites.commune, sites.direct_commune, sites.district]) == {
        sites.commune.name
    }
    assert 'id="tree-filter-count">1/' in body


def test_tree_filters_by_level_status_and_parent(sites, console):  # noqa: F811
    communes = tree(console, cap="commune")
    assert names_in(communes, [sites.commune, sites.direct_commune, sites.district]) == {
        sites.commune.name,
        sites.direct_commune.name,
    }
    lifecycle.archive(sites.direct_commune)
    connection.set_schema_to_public()
    archived = tree(console, **{"trang-thai": "archived"})
    assert names_in(archived, [sites.commune, sites.direct_commune]) == {sites.direct_commune.name}
    below = tree(console, tren=sites.district.code)
    assert names_in(below, [sites.commune, sites.direct_commune, sites.district]) == {
        sites.commune.name
    }


def test_unknown_filter_values_show_the_whole_tree(sites, console):  # noqa: F811
    body = tree(console, cap="galaxy", tren="nope")
    assert "khớp bộ lọc" not in body and sites.commune.name in body


@pytest.mark.parametrize(
    "code, reason",
    [
        ("99999", "Không có đơn vị hành chính mã “99999” trong danh mục chính thức"),
        ("00001", "Phường Phúc Xá (mã 00001) thuộc Thành phố Hà Nội (mã 01), không thuộc"),
        ("04954", "Xã Nhuận Trạch (mã 04954) đã có trang: Xã Nhuận Trạch (Đang hoạt động)."),
        ("04804", "chưa có trang: hãy tạo trang đó trước."),
    ],
    ids=["unknown", "other-province", "exists", "parent-missing"],
)
def test_a_unit_that_cannot_be_created_says_why(sites, console, code, reason):  # noqa: F811
    from tenants.models import Tenant

    before = Tenant.objects.count()
    body = console.post("/console/tao-trang/", {"unit": code}).content.decode()
    assert reason in body
    assert Tenant.objects.count() == before


def test_a_taken_domain_names_its_site(sites):
    with pytest.raises(lifecycle.LifecycleError) as refused:
        lifecycle.add_alias(sites.district, sites.commune.primary_domain)
    assert f"{sites.commune.name} (mã {sites.commune.code}, tên miền chính)" in str(refused.value)


def test_audit_trail_speaks_vietnamese_and_filters(sites, console):  # noqa: F811
    lifecycle.suspend(sites.commune, "Bảo trì", user=console.user)
    lifecycle.resume(sites.commune, user=console.user)
    connection.set_schema_to_public()
    body = console.get("/console/nhat-ky/").content.decode()
    assert "trạng thái: Đang hoạt động → <strong>Tạm ngừng</strong>" in body
    assert "active →" not in body
    only = console.get("/console/nhat-ky/", {"thao-tac": "tenants.suspend"}).content.decode()
    assert "1 thao tác." in only
    by_site = console.get("/console/nhat-ky/", {"q": "nhuan trach"}).content.decode()
    assert "Tạm ngừng trang" in by_site and "Cho trang hoạt động lại" in by_site


def test_support_login_entry_has_no_snapshot_noise(sites, console):  # noqa: F811
    lifecycle.audit(sites.commune, "tenants.support_login", console.user, None, operator="x")
    connection.set_schema_to_public()
    body = console.get("/console/nhat-ky/", {"thao-tac": "tenants.support_login"}).content.decode()
    assert "Mở trang quản trị để hỗ trợ" in body
    assert "tên miền chính:" not in body and "giao diện:" not in body
