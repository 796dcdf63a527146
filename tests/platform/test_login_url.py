"""A site's password-reset pages link to the site's own admin login (not the console's)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_password_reset_complete_on_a_site_links_to_its_admin_login(sites):
    response = Client(HTTP_HOST=sites.commune.primary_domain).get("/admin/password_reset/complete/")
    assert response.status_code == 200
    assert 'href="/admin/login/"' in response.content.decode()


def test_the_console_still_asks_for_its_own_login(sites):
    response = Client(HTTP_HOST="localhost").get("/console/danh-gia/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/dang-nhap/")
