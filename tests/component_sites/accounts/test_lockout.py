"""Repeated failed logins lock an account out of a site's admin for a while."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import schema_context

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-dung-2026"


def _login(client, password):
    return client.post("/admin/login/", {"username": "bientap", "password": password})


def test_five_failures_lock_the_account_even_with_the_right_password(sites):
    with schema_context(sites.commune.schema_name):
        get_user_model().objects.create_user("bientap", password=PASSWORD, is_superuser=True)
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    for _ in range(5):
        assert _login(client, "sai-mat-khau").status_code == 200
    response = _login(client, PASSWORD)
    assert response.status_code == 200
    assert "Tài khoản tạm khoá" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_clears_earlier_failures(sites):
    with schema_context(sites.commune.schema_name):
        get_user_model().objects.create_user("bientap", password=PASSWORD, is_superuser=True)
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    for _ in range(4):
        _login(client, "sai-mat-khau")
    assert _login(client, PASSWORD).status_code == 302
    other = Client(HTTP_HOST=sites.commune.primary_domain)
    for _ in range(4):
        _login(other, "sai-mat-khau")
    assert _login(other, PASSWORD).status_code == 302


def test_lockout_is_per_site(sites):
    for tenant in (sites.commune, sites.district):
        with schema_context(tenant.schema_name):
            get_user_model().objects.create_user("bientap", password=PASSWORD, is_superuser=True)
    for _ in range(5):
        _login(Client(HTTP_HOST=sites.commune.primary_domain), "sai-mat-khau")
    assert _login(Client(HTTP_HOST=sites.district.primary_domain), PASSWORD).status_code == 302
