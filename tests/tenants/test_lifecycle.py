"""Lifecycle operations: what they change, what they refuse, and the audit trail they leave."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry, Site

from tenants import lifecycle
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db

COMMUNE = "nhuantrach.hoabinh.test.localhost"
ALIAS = "xanhuantrach.hoabinh.test.localhost"


def entries(tenant):
    connection.set_schema_to_public()  # a request made by the test leaves it on the site
    log = ModelLogEntry.objects.for_instance(tenant).exclude(action="tenants.create")
    return list(log.order_by("timestamp"))


def test_suspend_and_resume_are_audited_with_before_and_after(sites, django_user_model):
    admin = django_user_model.objects.create_user("tinh.admin", is_staff=True)
    lifecycle.suspend(sites.commune, "Bảo trì đến 08/12/2026", user=admin)
    assert Client().get("/", HTTP_HOST=COMMUNE).status_code == 503
    lifecycle.resume(sites.commune, user=admin)
    assert Client().get("/", HTTP_HOST=COMMUNE).status_code == 200
    suspend, resume = entries(sites.commune)
    assert (suspend.action, suspend.user_id) == ("tenants.suspend", admin.pk)
    assert suspend.data["before"]["status"] == "active"
    assert suspend.data["after"]["status"] == "suspended"
    assert suspend.data["after"]["status_notice"] == "Bảo trì đến 08/12/2026"
    assert resume.data["after"]["status"] == "active"


def test_rename_updates_the_site_row_and_pages_keep_working(sites):
    lifecycle.rename(sites.commune, "Xã Nhuận Trạch (mới)")
    with schema_context(sites.commune.schema_name):
        assert Site.objects.get().site_name == "Xã Nhuận Trạch (mới)"
    assert entries(sites.commune)[-1].data["before"]["name"] == "Xã Nhuận Trạch"


def test_promoting_an_alias_swaps_primary_and_redirects(sites):
    lifecycle.promote_alias(sites.commune, ALIAS)
    assert Tenant.objects.get(pk=sites.commune.pk).primary_domain == ALIAS
    response = Client().get("/gioi-thieu/", HTTP_HOST=COMMUNE)
    assert response.status_code == 301
    assert response["Location"] == f"http://{ALIAS}/gioi-thieu/"
    with schema_context(sites.commune.schema_name):
        assert Site.objects.get().hostname == ALIAS


def test_add_and_remove_alias(sites):
    lifecycle.add_alias(sites.commune, "NhuanTrach.gov.vn")
    assert Client().get("/", HTTP_HOST="nhuantrach.gov.vn").status_code == 301
    lifecycle.remove_alias(sites.commune, "nhuantrach.gov.vn")
    assert Client().get("/", HTTP_HOST="nhuantrach.gov.vn").status_code == 404
    assert [e.action for e in entries(sites.commune)] == [
        "tenants.domain_add",
        "tenants.domain_remove",
    ]


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda s: lifecycle.archive(s.province), "Không thể lưu trữ cổng thông tin cấp tỉnh"),
        (lambda s: lifecycle.resume(s.commune), "Chỉ trang đang tạm ngừng"),
        (lambda s: lifecycle.rename(s.commune, "  "), "không được để trống"),
        (lambda s: lifecycle.add_alias(s.commune, "doclap.hoabinh.test.localhost"), "đã được gán"),
        (lambda s: lifecycle.add_alias(s.commune, "khong hop le"), "không hợp lệ"),
        (lambda s: lifecycle.remove_alias(s.commune, COMMUNE), "Không thể gỡ tên miền chính"),
        (lambda s: lifecycle.remove_alias(s.commune, "la.gov.vn"), "không có tên miền"),
        (lambda s: lifecycle.promote_alias(s.commune, COMMUNE), "đã là tên miền chính"),
    ],
)
def test_bad_operations_are_refused_and_change_nothing(sites, call, fragment):
    log_count = ModelLogEntry.objects.count()
    before = (
        list(Tenant.objects.order_by("pk").values_list("name", "status")),
        list(Domain.objects.order_by("pk").values_list("domain", "is_primary")),
    )
    with pytest.raises(lifecycle.LifecycleError) as info:
        call(sites)
    assert fragment in str(info.value)
    after = (
        list(Tenant.objects.order_by("pk").values_list("name", "status")),
        list(Domain.objects.order_by("pk").values_list("domain", "is_primary")),
    )
    assert after == before
    assert ModelLogEntry.objects.count() == log_count


def test_archived_site_stays_readable_with_its_domains(sites):
    lifecycle.archive(sites.commune, "Đã sáp nhập vào xã mới.")
    response = Client().get("/", HTTP_HOST=COMMUNE)
    assert response.status_code == 200
    assert "Trang đã được lưu trữ" in response.content.decode()
    assert Client().get("/", HTTP_HOST=ALIAS).status_code == 301


def test_manage_site_command(sites, capsys):
    call_command("manage_site", "suspend", "04954", "--notice=Bảo trì")
    assert "Tạm ngừng" in capsys.readouterr().out
    with pytest.raises(CommandError) as info:
        call_command("manage_site", "archive", "17")
    assert "Không có gì thay đổi" in str(info.value)
    with pytest.raises(CommandError):
        call_command("manage_site", "rename", "99999", "--name=X")
