"""``manage_site reset-2fa``: a lost phone; the account's devices go, both logs record it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from component_sites.accounts import two_factor
from tests.two_factor import give_totp_device

pytestmark = pytest.mark.django_db


def test_reset_removes_the_devices_and_is_audited(sites, capsys):
    schema = sites.commune.schema_name
    with schema_context(schema):
        user = get_user_model().objects.create_user("qt.mat.may", is_superuser=True)
        give_totp_device(user)
        two_factor.new_backup_codes(user)
    call_command("manage_site", "reset-2fa", sites.commune.code, "--user=qt.mat.may")
    assert "đã xoá 2 thiết bị xác thực của qt.mat.may" in capsys.readouterr().out
    with schema_context(schema):
        assert not TOTPDevice.objects.filter(user=user).exists()
        assert not StaticDevice.objects.filter(user=user).exists()
        entry = ModelLogEntry.objects.get(action="editorial.two_factor_reset")
        assert entry.object_id == str(user.pk) and entry.data["devices"] == 2
        # Other accounts keep theirs.
        assert TOTPDevice.objects.filter(user__username="quantri").exists()
    console = ModelLogEntry.objects.get(action="tenants.reset_2fa")
    assert console.object_id == str(sites.commune.pk)
    assert console.data == {"username": "qt.mat.may", "devices": 2}
    assert "qt.mat.may" in console.message


def test_reset_of_an_unknown_account_changes_nothing(sites):
    with pytest.raises(CommandError, match="không có tài khoản “khong.co”"):
        call_command("manage_site", "reset-2fa", sites.commune.code, "--user=khong.co")
    with pytest.raises(CommandError, match="cần --user"):
        call_command("manage_site", "reset-2fa", sites.commune.code)
    assert not ModelLogEntry.objects.filter(action="tenants.reset_2fa").exists()
    with schema_context(sites.commune.schema_name):
        assert not ModelLogEntry.objects.filter(action="editorial.two_factor_reset").exists()
        assert TOTPDevice.objects.filter(user__username="quantri").exists()
