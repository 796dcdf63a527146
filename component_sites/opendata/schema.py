"""The OpenAPI 3.1 description of /api/v1/ (served at /api/v1/openapi.json).

Each dataset registers its record schema and list parameters with ``register_dataset``;
this module puts them into one document with the shared envelope (pagination, errors).
The schemathesis run of the test suite (tests/component_sites/opendata/) checks that the
answers match it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from component_sites.core.origin import site_origin

from .datasets import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, datasets

JSON = "application/json"
NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}

PAGE_PARAMETERS = [
    {
        "name": "page",
        "in": "query",
        "description": "Số trang, từ 1.",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    {
        "name": "page_size",
        "in": "query",
        "description": f"Số bản ghi mỗi trang (1–{MAX_PAGE_SIZE}).",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_PAGE_SIZE,
            "default": DEFAULT_PAGE_SIZE,
        },
    },
]
VALIDATOR_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "Mã phiên bản của nội dung."},
    "Cache-Control": {"schema": {"type": "string"}},
}


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


ERRORS = {
    "400": _error_response("Tham số không hợp lệ (thông báo tiếng Việt)."),
    "404": _error_response("Không tìm thấy."),
    "405": _error_response("Chỉ GET."),
    "500": _error_response("Lỗi máy chủ."),
}


def _ok(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "headers": VALIDATOR_HEADERS,
            "content": {JSON: {"schema": schema}},
        },
        "304": {"description": "Không đổi từ lần tải trước (If-None-Match / If-Modified-Since)."},
        **ERRORS,
    }


def _page_of(item_ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "page", "pages", "page_size", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "next": NULLABLE_URL,
            "previous": NULLABLE_URL,
            "results": {"type": "array", "items": {"$ref": item_ref}},
        },
        "additionalProperties": False,
    }


def openapi_document(request=None) -> dict[str, Any]:
    """The whole description, with the site's own origin as the server."""
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error", "status"],
            "properties": {
                "error": {"type": "string", "description": "Thông báo bằng tiếng Việt."},
                "status": {"type": "integer"},
            },
        },
        "Index": {
            "type": "object",
            "required": ["site", "datasets", "schema"],
            "properties": {
                "site": {"type": "string"},
                "schema": {"type": "string", "format": "uri"},
                "datasets": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "title", "description", "url"],
                        "properties": {
                            "name": {"type": "string"},
                            "title": {"type": "string"},
                            "description": {"type": "string"},
                            "url": {"type": "string", "format": "uri"},
                        },
                    },
                },
            },
        },
    }
    paths: dict[str, Any] = {
        "/api/v1/": {
            "get": {
                "operationId": "index",
                "summary": "Danh sách bộ dữ liệu mở của trang",
                "responses": _ok({"$ref": "#/components/schemas/Index"}, "Các bộ dữ liệu."),
            }
        }
    }
    for dataset in datasets():
        if dataset.item_schema is None:
            continue
        name = dataset.name.capitalize()
        parameters = dataset.list_parameters
        if callable(parameters):
            parameters = parameters()
        schemas[name] = dataset.item_schema
        ref = f"#/components/schemas/{name}"
        list_path = reverse(dataset.list_url_name)
        paths[list_path] = {
            "get": {
                "operationId": f"{dataset.name}_list",
                "summary": dataset.title,
                "description": dataset.description,
                "parameters": [*PAGE_PARAMETERS, *parameters],
                "responses": _ok(_page_of(ref), "Một trang bản ghi."),
            }
        }
        paths[f"{list_path}{{key}}/"] = {
            "get": {
                "operationId": f"{dataset.name}_detail",
                "summary": f"{dataset.title}: một bản ghi",
                "parameters": [
                    {
                        "name": "key",
                        "in": "path",
                        "required": True,
                        "description": dataset.key_description,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": _ok({"$ref": ref}, "Bản ghi."),
            }
        }
    origin = site_origin(request)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Dữ liệu mở của cổng thông tin điện tử",
            "version": "1.0.0",
            "description": (
                "Dữ liệu mở, chỉ đọc, của một trang thành viên: thủ tục hành chính và văn bản. "
                "Mọi lỗi trả về JSON {error, status}. CORS mở cho GET."
            ),
        },
        "servers": [{"url": origin}] if origin else [],
        "paths": paths,
        "components": {"schemas": schemas},
    }
