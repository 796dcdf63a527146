"""The hierarchy rules of the site registry."""

import pytest
from django.core.exceptions import ValidationError

from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def make(level, code, parent=None, name="Đơn vị"):
    return Tenant(name=name, level=level, code=code, parent=parent, schema_name=f"x_{code}")


def errors_of(tenant):
    with pytest.raises(ValidationError) as info:
        tenant.full_clean()
    return info.value.message_dict


def test_province_without_parent_is_valid():
    make("province", "98").full_clean()


def test_province_with_a_parent_is_refused(sites):
    errors = errors_of(make("province", "98", parent=sites.province))
    assert "Trang cấp tỉnh không có đơn vị cấp trên." in errors["parent"]


def test_district_needs_a_province_parent(sites):
    assert "parent" in errors_of(make("district", "998"))
    assert "parent" in errors_of(make("district", "998", parent=sites.district))
    make("district", "998", parent=sites.province).full_clean()


def test_commune_under_district_three_level_model(sites):
    make("commune", "99998", parent=sites.district).full_clean()


def test_commune_under_province_two_level_model(sites):
    make("commune", "99998", parent=sites.province).full_clean()


def test_commune_under_commune_is_refused(sites):
    errors = errors_of(make("commune", "99998", parent=sites.commune))
    assert any("không thể là cấp" in message for message in errors["parent"])


def test_code_must_be_digits_of_the_level_length(sites):
    assert "code" in errors_of(make("commune", "4954", parent=sites.district))
    assert "code" in errors_of(make("commune", "0495A", parent=sites.district))


def test_duplicate_code_is_refused(sites):
    errors = errors_of(make("commune", sites.commune.code, parent=sites.district))
    assert errors["code"] == ["Đã có trang dùng mã đơn vị hành chính này."]


def test_each_level_clones_its_own_template():
    assert make("province", "98").get_base_schema() == "tpl_province"
    assert make("district", "998").get_base_schema() == "tpl_district"
    assert make("commune", "99998").get_base_schema() == "tpl_commune"
