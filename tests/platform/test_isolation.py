"""What one site stores (pages, users, cache entries, uploads) stays its own."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Site

from tests.conftest import ADMIN_PASSWORD, admin_code

pytestmark = pytest.mark.django_db


def test_each_schema_has_a_site_row_on_its_primary_domain(sites):
    for tenant in (sites.province, sites.district, sites.commune, sites.direct_commune):
        with schema_context(tenant.schema_name):
            assert list(Site.objects.values_list("hostname", flat=True)) == [tenant.primary_domain]


@pytest.mark.parametrize("alias", ["default", "renditions"])
def test_cache_keys_are_per_site(sites, alias):
    cache = caches[alias]
    with schema_context(sites.commune.schema_name):
        cache.set("wagtail_site_root_paths", "commune-value", 30)
    with schema_context(sites.direct_commune.schema_name):
        assert cache.get("wagtail_site_root_paths") is None
        cache.set("wagtail_site_root_paths", "other-value", 30)
    with schema_context(sites.commune.schema_name):
        assert cache.get("wagtail_site_root_paths") == "commune-value"
        cache.delete("wagtail_site_root_paths")
    with schema_context(sites.direct_commune.schema_name):
        cache.delete("wagtail_site_root_paths")


@pytest.fixture
def uploaded(sites):
    """A file saved by the commune site; removed afterwards."""
    with schema_context(sites.commune.schema_name):
        # An image folder: /media/ serves images only (documents go through their view).
        name = default_storage.save("original_images/bao-cao.txt", ContentFile(b"noi dung"))
        url, path = default_storage.url(name), default_storage.path(name)
    yield name, url, path
    with schema_context(sites.commune.schema_name):
        default_storage.delete(name)


def test_uploads_are_stored_under_the_sites_own_folder(sites, settings, uploaded):
    # (MEDIA_ROOT is fixed for the session: django-tenants' storage caches its root.)
    name, url, path = uploaded
    assert path.startswith(str(Path(settings.MEDIA_ROOT) / sites.commune.schema_name) + "/")
    assert url.startswith(f"/media/{sites.commune.schema_name}/")
    with schema_context(sites.direct_commune.schema_name):
        assert not default_storage.exists(name)


def test_media_of_one_site_cannot_be_read_through_another_sites_domain(sites, uploaded):
    name, url, _path = uploaded
    client = Client()
    own = client.get(url, HTTP_HOST=sites.commune.primary_domain)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == b"noi dung"
    assert client.get(url, HTTP_HOST=sites.direct_commune.primary_domain).status_code == 404
    traversal = f"/media/{sites.direct_commune.schema_name}/../{sites.commune.schema_name}/{name}"
    assert client.get(traversal, HTTP_HOST=sites.direct_commune.primary_domain).status_code == 404


def test_users_of_one_site_cannot_log_into_another(sites):
    with schema_context(sites.commune.schema_name):
        get_user_model().objects.create_user("canbo.nhuantrach", password="Mat-khau-rieng-2026")
    client = Client()
    login = {"username": "canbo.nhuantrach", "password": "Mat-khau-rieng-2026"}
    other = client.post("/admin/login/", login, HTTP_HOST=sites.direct_commune.primary_domain)
    assert other.status_code == 200  # the form again, with an error
    own = client.post("/admin/login/", login, HTTP_HOST=sites.commune.primary_domain)
    assert own.status_code == 302


def test_site_admin_reaches_the_wagtail_dashboard(sites):
    client = Client()
    host = sites.commune.primary_domain
    response = client.post(
        "/admin/login/", {"username": "quantri", "password": ADMIN_PASSWORD}, HTTP_HOST=host
    )
    assert response.status_code == 302
    # Site admins use two-factor authentication: the second step asks for the app's code.
    second_step = client.get("/admin/", HTTP_HOST=host)
    assert second_step.url == "/admin/xac-thuc/?next=%2Fadmin%2F"
    verified = client.post(
        second_step.url, {"otp_token": admin_code(sites.commune)}, HTTP_HOST=host
    )
    assert (verified.status_code, verified.url) == (302, "/admin/")
    dashboard = client.get("/admin/", HTTP_HOST=host)
    assert dashboard.status_code == 200
    assert "Xã Nhuận Trạch" in dashboard.content.decode()
