"""The open-data API keeps to its OpenAPI description (schemathesis, bounded examples);
CORS for GET, validators and a cache lifetime, JSON errors for every failure."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client, override_settings
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings

from tests.component_sites import factories
from tests.procedure_helpers import make_procedure

pytestmark = pytest.mark.django_db

HOST = "nhuantrach.hoabinh.test.localhost"
# Examples per operation: enough to cover every parameter's kinds, bounded for CI.
MAX_EXAMPLES = 25


@pytest.fixture
def content(sites, syndicate):
    """Two documents (one with two files) and two procedures of the commune."""
    assert sites.commune.primary_domain == HOST
    with schema_context(sites.commune.schema_name):
        kinds = factories.classifications()
        index = factories.documents_index()
        factories.make_legal_document(
            index,
            number="42/2022/NĐ-CP",
            document_type=kinds["nghi-dinh"],
            issuing_body=kinds["chinh-phu"],
            issued=dt.date(2022, 6, 24),
        )
        decision = factories.make_legal_document(
            index,
            number="15/QĐ-UBND",
            document_type=kinds["quyet-dinh"],
            issuing_body=kinds["ubnd"],
            files=2,
        )
        decision.save_revision().publish()  # as editors do: it has a publication time
    with syndicate():
        make_procedure("9.900001")
        make_procedure("9.900002", name="Đăng ký kết hôn thử nghiệm")
    return sites.commune


@pytest.fixture
def api_schema(content):
    # The WSGI handler closes "old" connections at each request's start and end, as a
    # server must; here the request shares the test's connection and transaction (as
    # Django's test client does, which disconnects the same handler).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.json", get_wsgi_application(), headers={"Host": HOST}
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_api_answers_match_its_openapi_description(api_schema):
    """Every operation, MAX_EXAMPLES generated requests each, all of schemathesis' checks.

    (Driven through Hypothesis directly: schemathesis' pytest plugin does not run on
    pytest 9 yet.)"""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 5

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same examples on every run: a failure is reproducible
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # Werkzeug's test client does not decompress: ask for plain bodies.
            case.call_and_validate(headers={"Host": HOST, "Accept-Encoding": "identity"})

        check()


def get(path, **headers):
    return Client(HTTP_HOST=HOST).get(path, **headers)


def test_the_schema_describes_every_dataset_on_the_sites_origin(content):
    document = get("/api/v1/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": f"http://{HOST}"}]
    assert {
        "/api/v1/",
        "/api/v1/documents/",
        "/api/v1/documents/{key}/",
        "/api/v1/procedures/",
        "/api/v1/procedures/{key}/",
    } <= set(document["paths"])
    assert get("/api/v1/").json()["schema"] == f"http://{HOST}/api/v1/openapi.json"


def test_file_sizes_are_filled(content):
    files = [f for d in get("/api/v1/documents/").json()["results"] for f in d["files"]]
    assert files and all(isinstance(f["size"], int) and f["size"] > 0 for f in files)


def test_get_is_open_to_other_origins_without_credentials(content):
    response = get("/api/v1/documents/", HTTP_ORIGIN="https://ban-do.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = Client(HTTP_HOST=HOST).options(
        "/api/v1/documents/",
        HTTP_ORIGIN="https://ban-do.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_cors_stays_off_the_pages(content):
    response = get("/", HTTP_ORIGIN="https://ban-do.example.org")
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(
    "path", ["/api/v1/", "/api/v1/documents/", "/api/v1/procedures/", "/api/v1/openapi.json"]
)
def test_answers_carry_validators_and_a_cache_lifetime(content, path):
    response = get(path)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    etag = response["ETag"]
    assert get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_last_modified_is_the_newest_change_and_revalidates(content):
    response = get("/api/v1/procedures/")
    modified = response["Last-Modified"]
    assert get("/api/v1/procedures/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert "Last-Modified" in get("/api/v1/documents/").headers


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/khong-co/", 404),
        ("get", "/api/v1/documents/999999/", 404),
        ("get", "/api/v1/procedures/khong-co/", 404),
        ("get", "/api/v1/documents/?page=abc", 400),
        ("get", "/api/v1/documents/?page=99", 404),
        ("post", "/api/v1/documents/", 405),
        ("delete", "/api/v1/procedures/", 405),
        ("put", "/api/v1/", 405),
        ("get", "/api/v1/documents/?q=%00", 400),
    ],
)
def test_every_failure_answers_json(content, method, path, status):
    response = getattr(Client(HTTP_HOST=HOST), method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["error"]


def test_a_server_error_answers_json(content, monkeypatch):
    from component_sites.documents import api

    def broken(page, request):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(api, "serialize", broken)
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    with override_settings(DEBUG=False):
        response = client.get("/api/v1/documents/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "Lỗi máy chủ; vui lòng thử lại sau.", "status": 500}
