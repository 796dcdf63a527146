"""Creating a site clones its template and leaves nothing behind when it fails."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Site

from component_sites.core.models import HomePage
from tenants.models import Domain, Tenant
from tenants.provisioning import ProvisioningError, provision_site
from tenants.specs import SiteSpec

pytestmark = pytest.mark.django_db


def spec(**overrides):
    values = dict(
        name="Xã Tân Vinh",
        level="commune",
        code="04957",
        parent_code="152",
        domain="tanvinh.hoabinh.test.localhost",
        admin_password="Mot-mat-khau-dai-2026",
    )
    values.update(overrides)
    return SiteSpec(**values)


def registry_snapshot():
    return (
        sorted(Tenant.objects.values_list("code", flat=True)),
        sorted(Domain.objects.values_list("domain", flat=True)),
    )


def schemas():
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


def test_new_site_gets_its_own_schema_site_row_home_page_and_admin(sites):
    result = provision_site(spec(aliases=["xatanvinh.hoabinh.test.localhost"]))
    tenant = result.tenant
    assert tenant.schema_name == "c_04957"
    assert schema_exists("c_04957")
    assert tenant.primary_domain == "tanvinh.hoabinh.test.localhost"
    assert list(tenant.domains.filter(is_primary=False).values_list("domain", flat=True)) == [
        "xatanvinh.hoabinh.test.localhost"
    ]
    with schema_context(tenant.schema_name):
        site = Site.objects.get(is_default_site=True)
        assert (site.hostname, site.site_name) == ("tanvinh.hoabinh.test.localhost", "Xã Tân Vinh")
        assert HomePage.objects.get().title == "Xã Tân Vinh"
        admin = get_user_model().objects.get()
        assert admin.username == "quantri" and admin.is_superuser
        assert admin.check_password("Mot-mat-khau-dai-2026")


def test_new_site_answers_on_its_domain(sites):
    provision_site(spec())
    response = Client().get("/", HTTP_HOST="tanvinh.hoabinh.test.localhost")
    assert response.status_code == 200
    assert "Xã Tân Vinh" in response.content.decode()


def test_generated_admin_password_is_returned_once(sites):
    result = provision_site(spec(admin_password=None))
    assert result.admin_password and len(result.admin_password) >= 12


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"domain": "nhuantrach.hoabinh.test.localhost"}, "domain", "đã được gán"),
        ({"domain": "NhuanTrach.HoaBinh.test.localhost"}, "domain", "đã được gán"),
        ({"domain": "http://tanvinh.gov.vn/"}, "domain", "không hợp lệ"),
        ({"domain": "tân-vinh.gov.vn"}, "domain", "không hợp lệ"),
        ({"domain": "localhost"}, "domain", "dành cho trang quản trị"),
        ({"aliases": ["bad domain"]}, "aliases", "không hợp lệ"),
        ({"aliases": ["tanvinh.hoabinh.test.localhost"]}, "aliases", "hai lần"),
        ({"code": "04954"}, "code", "Đã có trang"),
        ({"code": "4957"}, "code", "5 chữ số"),
        ({"parent_code": "04921"}, "parent", "không thể là cấp"),
        ({"parent_code": "999"}, "parent", "Không tìm thấy"),
        ({"level": "district", "code": "153", "parent_code": "152"}, "parent", "không thể"),
        ({"schema_name": "pg_catalog2"}, "schema_name", "không hợp lệ"),
        ({"schema_name": "Co-Dau"}, "schema_name", "không hợp lệ"),
        ({"schema_name": "x" * 64}, "schema_name", "không hợp lệ"),
        ({"schema_name": "tpl_commune"}, "schema_name", "đã tồn tại"),
        ({"name": ""}, "name", ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(sites, overrides, field, fragment):
    before_registry, before_schemas = registry_snapshot(), schemas()
    with pytest.raises(ProvisioningError) as info:
        provision_site(spec(**overrides))
    assert field in info.value.messages
    assert any(fragment in message for message in info.value.messages[field])
    assert registry_snapshot() == before_registry
    assert schemas() == before_schemas


def test_failure_after_the_clone_leaves_no_schema_and_no_rows(sites):
    """The admin account is made last, inside the new schema: its failure undoes the clone."""
    before_registry = registry_snapshot()
    with pytest.raises(ProvisioningError) as info:
        provision_site(spec(admin_username="tên sai có dấu cách"))
    assert "admin_username" in info.value.messages
    assert not schema_exists("c_04957")
    assert registry_snapshot() == before_registry


def test_missing_template_is_reported(sites, settings):
    settings.TENANT_TEMPLATE_SCHEMAS = {**settings.TENANT_TEMPLATE_SCHEMAS, "commune": "tpl_none"}
    with pytest.raises(ProvisioningError) as info:
        provision_site(spec())
    assert "ensure_site_templates" in info.value.messages["__all__"][0]
    assert not schema_exists("c_04957")


def test_empty_admin_password_leaves_the_account_without_one(sites):
    tenant = provision_site(spec(admin_password="")).tenant
    with schema_context(tenant.schema_name):
        assert not get_user_model().objects.get().has_usable_password()


def test_a_cloned_site_has_no_pending_migrations(sites):
    from tenants.management.commands.prepare_platform import pending_migrations

    tenant = provision_site(spec()).tenant
    assert pending_migrations(tenant.schema_name) == 0
