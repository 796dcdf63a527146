"""The domain → site lookup is cached, and forgotten whenever a domain or its site changes."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import lifecycle
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db


def domain_queries(host, path="/robots.txt"):
    client = Client(HTTP_HOST=host)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [q for q in captured.captured_queries if "tenants_domain" in q["sql"]]


def test_the_second_request_finds_its_site_without_a_query(sites):
    host = sites.commune.primary_domain
    domain_queries(host)
    response, queries = domain_queries(host)
    assert response.status_code == 200
    assert queries == []


def test_a_promoted_alias_routes_at_once_and_the_old_primary_redirects(sites):
    commune = Tenant.objects.get(pk=sites.commune.pk)
    old, alias = commune.primary_domain, "xanhuantrach.hoabinh.test.localhost"
    assert Client(HTTP_HOST=alias).get("/").status_code == 301
    assert Client(HTTP_HOST=old).get("/").status_code == 200
    lifecycle.promote_alias(commune, alias)
    assert Client(HTTP_HOST=alias).get("/").status_code == 200
    moved = Client(HTTP_HOST=old).get("/gioi-thieu/")
    assert moved.status_code == 301
    assert moved["Location"] == f"http://{alias}/gioi-thieu/"


def test_a_removed_alias_stops_routing_at_once(sites):
    commune = Tenant.objects.get(pk=sites.commune.pk)
    lifecycle.add_alias(commune, "moi.hoabinh.test.localhost")
    assert Client(HTTP_HOST="moi.hoabinh.test.localhost").get("/").status_code == 301
    lifecycle.remove_alias(commune, "moi.hoabinh.test.localhost")
    assert Client(HTTP_HOST="moi.hoabinh.test.localhost").get("/").status_code == 404


def test_a_renamed_domain_row_frees_its_old_name(sites):
    Client(HTTP_HOST=sites.direct_commune.primary_domain).get("/")
    row = Domain.objects.get(domain=sites.direct_commune.primary_domain)
    row.domain = "doclap-moi.hoabinh.test.localhost"
    row.save()
    assert Client(HTTP_HOST="doclap.hoabinh.test.localhost").get("/").status_code == 404
    assert Client(HTTP_HOST="doclap-moi.hoabinh.test.localhost").get("/").status_code == 200


def test_suspending_a_site_is_seen_by_the_next_request(sites):
    host = sites.commune.primary_domain
    assert Client(HTTP_HOST=host).get("/").status_code == 200
    lifecycle.suspend(Tenant.objects.get(pk=sites.commune.pk), "Bảo trì")
    assert Client(HTTP_HOST=host).get("/").status_code == 503


def test_unknown_hosts_are_not_kept(sites):
    from django.core.cache import cache

    Client(HTTP_HOST="khong-co.hoabinh.test.localhost").get("/")
    assert cache.get("routing:domain:khong-co.hoabinh.test.localhost") is None
