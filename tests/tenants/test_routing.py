"""Host-based routing: primary, alias, unknown host, control domain, suspended, archived."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants.models import Domain, Tenant
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db

COMMUNE = "nhuantrach.hoabinh.test.localhost"


@pytest.fixture
def client():
    return Client()


def test_primary_domain_serves_that_sites_home_page(sites, client):
    response = client.get("/", HTTP_HOST=COMMUNE)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="visually-hidden">Xã Nhuận Trạch</h1>' in body
    assert "Xã Độc Lập" not in body


def test_each_site_serves_its_own_pages(sites, client):
    body = client.get("/", HTTP_HOST="doclap.hoabinh.test.localhost").content.decode()
    assert '<h1 class="visually-hidden">Xã Độc Lập</h1>' in body


def test_port_in_host_header_is_ignored_for_routing(sites, client):
    assert client.get("/", HTTP_HOST=f"{COMMUNE}:8000").status_code == 200


def test_alias_redirects_permanently_to_same_path_on_primary(sites, client):
    response = client.get("/tin-tuc/?trang=2", HTTP_HOST="xanhuantrach.hoabinh.test.localhost")
    assert response.status_code == 301
    assert response["Location"] == f"http://{COMMUNE}/tin-tuc/?trang=2"


def test_alias_redirect_keeps_a_non_default_port(sites, client):
    response = client.get("/", HTTP_HOST="www.hoabinh.test.localhost:8000")
    assert response.status_code == 301
    assert response["Location"] == "http://hoabinh.test.localhost:8000/"


def test_unknown_host_gets_a_plain_404_not_public_pages(sites, client):
    for path in ("/", "/console/dang-nhap/", "/admin/"):
        response = client.get(path, HTTP_HOST="khongco.hoabinh.test.localhost")
        assert response.status_code == 404
        body = response.content.decode()
        assert "chưa được đăng ký" in body
        assert "Đăng nhập" not in body


def test_control_domain_serves_the_console_login(sites, client):
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 302
    response = client.get("/console/", HTTP_HOST="localhost", follow=True)
    assert response.status_code == 200
    assert "Đăng nhập quản trị" in response.content.decode()


def test_console_is_not_served_on_a_site_domain(sites, client):
    assert client.get("/console/dang-nhap/", HTTP_HOST=COMMUNE).status_code == 404


def test_suspended_site_answers_503_with_its_notice(sites, client):
    Tenant.objects.filter(pk=sites.commune.pk).update(
        status=Tenant.Status.SUSPENDED, status_notice="Tạm ngừng để nâng cấp đến 08/12/2026."
    )
    for path in ("/", "/admin/login/"):
        response = client.get(path, HTTP_HOST=COMMUNE)
        assert response.status_code == 503
        assert "Tạm ngừng để nâng cấp đến 08/12/2026." in response.content.decode()
        assert response["Retry-After"]


def test_archived_site_is_readable_but_refuses_changes(sites, client):
    Tenant.objects.filter(pk=sites.commune.pk).update(status=Tenant.Status.ARCHIVED)
    assert client.get("/", HTTP_HOST=COMMUNE).status_code == 200
    response = client.post(
        "/admin/login/", {"username": "quantri", "password": "x"}, HTTP_HOST=COMMUNE
    )
    assert response.status_code == 403
    assert "đã được lưu trữ" in response.content.decode()


def test_site_admin_login_page_is_served(sites, client):
    response = client.get("/admin/login/", HTTP_HOST=COMMUNE)
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_console_requires_platform_staff(sites, client, django_user_model):
    response = client.get("/console/", HTTP_HOST="localhost")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/dang-nhap/")
    user = django_user_model.objects.create_user("canbo", password="Mat-khau-2026", is_staff=True)
    assert client.login(username="canbo", password="Mat-khau-2026")
    # A password alone opens nothing: the second step (enrolment at the first login) first.
    response = client.get("/console/", HTTP_HOST="localhost")
    assert response["Location"].startswith("/console/xac-thuc/dang-ky/")
    console_login(client, user)
    body = client.get("/console/", HTTP_HOST="localhost").content.decode()
    for tenant in (sites.province, sites.district, sites.commune, sites.direct_commune):
        assert tenant.name in body


def test_province_home_lists_its_member_sites_on_their_domains(sites, client):
    body = client.get("/", HTTP_HOST="hoabinh.test.localhost").content.decode()
    assert 'href="http://luongson.hoabinh.test.localhost/">Huyện Lương Sơn</a>' in body
    assert 'href="http://doclap.hoabinh.test.localhost/">Xã Độc Lập</a>' in body
    assert "Xã Nhuận Trạch" not in body  # a grandchild: listed by its district


def test_home_page_queries_do_not_grow_with_member_sites(sites, client):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/", HTTP_HOST="hoabinh.test.localhost").status_code == 200
        connection.set_schema_to_public()  # the request left the connection on the site
        return len(queries)

    count_queries()  # warm caches (site root paths)
    before = count_queries()
    for n in range(3):  # registry rows only: listing them needs no schema
        extra = Tenant.objects.create(
            name=f"Huyện Thêm {n}",
            level="district",
            code=f"99{n}",
            parent=sites.province,
            schema_name=f"d_99{n}",
        )
        Domain.objects.create(domain=f"them{n}.hoabinh.test.localhost", tenant=extra)
    assert count_queries() == before
