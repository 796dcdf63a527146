"""The create_site command: success output, and a clear message on bad input."""

import pytest
from django.core.management import CommandError, call_command

from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_create_site_prints_the_address_and_one_time_link(sites, capsys):
    call_command(
        "create_site",
        "--name=Xã Tân Vinh",
        "--level=commune",
        "--code=04957",
        "--parent=152",
        "--domain=tanvinh.hoabinh.test.localhost",
    )
    out = capsys.readouterr().out
    assert "Đã tạo Xã Tân Vinh" in out
    assert "http://tanvinh.hoabinh.test.localhost/admin/" in out
    assert "http://tanvinh.hoabinh.test.localhost/admin/password_reset/confirm/" in out


def test_create_site_refuses_bad_input_and_creates_nothing(sites):
    before = Tenant.objects.count()
    with pytest.raises(CommandError) as info:
        call_command(
            "create_site",
            "--name=Xã Trùng",
            "--level=commune",
            "--code=04954",
            "--parent=04921",
            "--domain=NOT A DOMAIN",
        )
    message = str(info.value)
    assert "không có gì thay đổi" in message
    assert "code:" in message and "parent:" in message and "domain:" in message
    assert Tenant.objects.count() == before
