"""Console: irreversible actions ask first; archive can be undone; read-only sites offer
no action that writes to them."""

import pytest
from django.db import connection
from wagtail.models import ModelLogEntry

from tenants import lifecycle
from tenants.models import Tenant
from tests.tenants.test_console import console  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def page_of(console, site):  # noqa: F811
    return console.get(f"/console/trang/{site.code}/").content.decode()


def test_irreversible_actions_name_what_will_happen(sites, console):  # noqa: F811
    body = page_of(console, sites.commune)
    assert f'data-confirm="Tạm ngừng trang {sites.commune.name}? Mọi địa chỉ' in body
    assert 'data-confirm="Đặt xanhuantrach.hoabinh.test.localhost làm tên miền chính' in body
    assert 'data-confirm="Gỡ tên miền xanhuantrach.hoabinh.test.localhost' in body
    merge = console.get("/console/sap-nhap/").content.decode()
    assert 'data-confirm="Sáp nhập {absorbed} vào {survivor}?' in merge


def test_unarchive_is_audited(sites, console):  # noqa: F811
    lifecycle.archive(sites.commune)
    response = console.post(f"/console/trang/{sites.commune.code}/unarchive/", follow=True)
    assert "Đã cập nhật." in response.content.decode()
    connection.set_schema_to_public()
    assert Tenant.objects.get(pk=sites.commune.pk).status == Tenant.Status.ACTIVE
    entry = ModelLogEntry.objects.for_instance(sites.commune).get(action="tenants.unarchive")
    assert entry.user_id == console.user.pk
    assert (entry.data["before"]["status"], entry.data["after"]["status"]) == (
        "archived",
        "active",
    )


def test_a_merged_site_cannot_be_unarchived(sites):
    lifecycle.archive(sites.commune)
    Tenant.objects.filter(pk=sites.commune.pk).update(merged_into=sites.direct_commune)
    site = Tenant.objects.get(pk=sites.commune.pk)
    with pytest.raises(lifecycle.LifecycleError) as refused:
        lifecycle.unarchive(site)
    assert "đã sáp nhập vào" in str(refused.value)
    assert Tenant.objects.get(pk=site.pk).status == Tenant.Status.ARCHIVED


def test_unarchiving_an_active_site_is_refused(sites):
    with pytest.raises(lifecycle.LifecycleError) as refused:
        lifecycle.unarchive(sites.commune)
    assert "Chỉ trang đang lưu trữ" in str(refused.value)


def test_archived_page_offers_no_write_action(sites, console):  # noqa: F811
    lifecycle.archive(sites.commune)
    body = page_of(console, sites.commune)
    for offered in ("Đăng nhập hỗ trợ", ">Đổi tên<", "Đổi giao diện", "Đặt làm chính", "Thêm</"):
        assert offered not in body
    assert "Bỏ lưu trữ" in body and "Trang chỉ đọc" in body


def test_archived_site_refuses_rename_and_support_login(sites, console):  # noqa: F811
    lifecycle.archive(sites.commune)
    url = f"/console/trang/{sites.commune.code}/"
    response = console.post(url + "rename/", {"name": "Tên khác"}, follow=True)
    assert "đang lưu trữ (chỉ đọc)" in response.content.decode()
    assert console.post(url + "ho-tro/").status_code == 403
    connection.set_schema_to_public()
    assert Tenant.objects.get(pk=sites.commune.pk).name == sites.commune.name


def test_merged_site_without_domains_says_where_its_addresses_go(sites, console):  # noqa: F811
    lifecycle.archive(sites.commune)
    Tenant.objects.filter(pk=sites.commune.pk).update(merged_into=sites.direct_commune)
    sites.commune.domains.all().delete()
    body = page_of(console, sites.commune)
    assert "Không còn tên miền riêng: các địa chỉ cũ chuyển hướng 301 về" in body
    assert "Bỏ lưu trữ" not in body and "Quản trị</a>" not in body


def test_manage_site_unarchives(sites):
    from django.core.management import call_command

    lifecycle.archive(sites.commune)
    call_command("manage_site", "unarchive", sites.commune.code)
    assert Tenant.objects.get(pk=sites.commune.pk).status == Tenant.Status.ACTIVE
