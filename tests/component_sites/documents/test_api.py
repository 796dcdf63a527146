"""Open data: the documents of a site as paginated JSON."""

import datetime as dt

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.component_sites import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(sites):
    with schema_context(sites.commune.schema_name):
        kinds = factories.classifications()
        index = factories.documents_index()
        factories.make_legal_document(
            index,
            number="42/2022/NĐ-CP",
            document_type=kinds["nghi-dinh"],
            issuing_body=kinds["chinh-phu"],
            issued=dt.date(2022, 6, 24),
            abstract="Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến",
        )
        factories.make_legal_document(
            index,
            number="15/QĐ-UBND",
            document_type=kinds["quyet-dinh"],
            issuing_body=kinds["ubnd"],
            files=2,
        )
    return sites.commune.primary_domain


def get(host, path, **params):
    return Client().get(path, params, HTTP_HOST=host)


def test_the_index_lists_documents_and_procedures(host):
    names = [d["name"] for d in get(host, "/api/v1/").json()["datasets"]]
    assert {"documents", "procedures"} <= set(names)


def test_list_is_paginated_newest_first_with_files(host):
    body = get(host, "/api/v1/documents/", page_size=1).json()
    assert (body["count"], body["pages"]) == (2, 2)
    first = body["results"][0]
    assert first["number"] == "15/QĐ-UBND" and len(first["files"]) == 2
    assert first["files"][0]["url"].startswith(f"http://{host}/van-ban/")
    assert "page=2" in body["next"] and "page_size=1" in body["next"]


def test_filters_and_unaccented_search(host):
    assert get(host, "/api/v1/documents/", type="nghi-dinh").json()["count"] == 1
    assert get(host, "/api/v1/documents/", year="2022").json()["count"] == 1
    found = get(host, "/api/v1/documents/", q="dich vu cong truc tuyen").json()["results"]
    assert [d["number"] for d in found] == ["42/2022/NĐ-CP"]


def test_detail_by_id(host):
    first = get(host, "/api/v1/documents/").json()["results"][0]
    detail = get(host, f"/api/v1/documents/{first['id']}/").json()
    assert detail["abstract"] == first["abstract"]


@pytest.mark.parametrize(
    "path, params, status, message",
    [
        ("/api/v1/documents/", {"type": "khong-co"}, 400, "Không có loại văn bản"),
        ("/api/v1/documents/", {"year": "abc"}, 400, "year phải là năm"),
        ("/api/v1/documents/", {"page": "9"}, 404, "Không có trang 9"),
        ("/api/v1/documents/", {"page_size": "1000"}, 400, "page_size"),
        ("/api/v1/documents/999999/", {}, 404, "Không tìm thấy"),
        ("/api/v1/documents/abc/", {}, 404, "Không tìm thấy"),
    ],
)
def test_bad_parameters_get_a_json_error(host, path, params, status, message):
    response = get(host, path, **params)
    assert response.status_code == status
    assert message in response.json()["error"]
