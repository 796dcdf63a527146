"""Read-only, paginated JSON views of a site's open data (its own schema only)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views import View

from component_sites.core.origin import absolute_url

from .datasets import CACHE_SECONDS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, datasets
from .schema import openapi_document


def error(message: str, status: int = 400) -> JsonResponse:
    """The API's error body: ``{"error": "…", "status": N}`` (documented in the schema)."""
    return JsonResponse(
        {"error": message, "status": status},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


class OpenDataView(View):
    """GET (and HEAD) only; JSON answers with validators and a cache lifetime.

    ``last_modified(request, response)`` gives the newest change of the data shown
    (``None`` when unknown); the ETag is the body's digest.  A request whose
    ``If-None-Match`` / ``If-Modified-Since`` still holds gets 304 without a body.
    """

    http_method_names = ["get", "head", "options"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = error(f"Phương thức {request.method} không được hỗ trợ; chỉ GET.", status=405)
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response

    def options(self, request, *args, **kwargs):
        response = super().options(request, *args, **kwargs)
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response

    def last_modified(self, request) -> datetime | None:
        return None

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        modified = self.last_modified(request)
        stamp = int(modified.timestamp()) if modified else None
        if stamp is not None:
            response["Last-Modified"] = http_date(stamp)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        response["Vary"] = "Accept-Encoding"
        conditional = get_conditional_response(
            request, etag=etag, last_modified=stamp, response=response
        )
        return conditional


class DatasetIndexView(OpenDataView):
    """GET /api/v1/: the datasets this site publishes."""

    def get(self, request):
        return JsonResponse(
            {
                "site": getattr(getattr(request, "tenant", None), "name", ""),
                "datasets": [
                    {
                        "name": d.name,
                        "title": d.title,
                        "description": d.description,
                        "url": absolute_url(reverse(d.list_url_name), request),
                    }
                    for d in datasets()
                ],
                "schema": absolute_url(reverse("opendata_schema"), request),
            },
            json_dumps_params={"ensure_ascii": False},
        )


class OpenDataListView(OpenDataView):
    """A paginated list: ``?page=N&page_size=M`` (at most 100), newest data each request.

    Subclasses give ``get_queryset(request)`` (or return an error response from it) and
    ``serialize(obj)``.  The envelope is the same for every dataset.
    """

    serialize: Callable[[Any], dict[str, Any]]
    # The field holding each record's last change (for Last-Modified), if any.
    modified_field: str | None = None

    def get_queryset(self, request):
        raise NotImplementedError

    def last_modified(self, request):
        queryset = getattr(self, "_queryset", None)
        if queryset is None or not self.modified_field:
            return None
        from django.db.models import Max

        return queryset.order_by().aggregate(newest=Max(self.modified_field))["newest"]

    def get(self, request):
        queryset = self.get_queryset(request)
        if isinstance(queryset, JsonResponse):
            return queryset
        self._queryset = queryset
        try:
            page = int(request.GET.get("page", "1"))
            size = int(request.GET.get("page_size", str(DEFAULT_PAGE_SIZE)))
        except ValueError:
            return error("Tham số page và page_size phải là số nguyên.")
        if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
            return error(f"page phải từ 1; page_size từ 1 đến {MAX_PAGE_SIZE}.")
        count = queryset.count()
        pages = max(1, -(-count // size))
        if page > pages:
            return error(f"Không có trang {page}; có {pages} trang.", status=404)
        items = queryset[(page - 1) * size : page * size]

        def link(number: int) -> str | None:
            if not 1 <= number <= pages:
                return None
            params = request.GET.copy()
            params["page"] = str(number)
            params["page_size"] = str(size)
            return absolute_url(f"{request.path}?{params.urlencode()}", request)

        return JsonResponse(
            {
                "count": count,
                "page": page,
                "pages": pages,
                "page_size": size,
                "next": link(page + 1),
                "previous": link(page - 1),
                "results": [self.serialize(obj) for obj in items],
            },
            json_dumps_params={"ensure_ascii": False},
        )


class OpenDataDetailView(OpenDataView):
    """One record by its key, or a JSON 404."""

    serialize: Callable[[Any], dict[str, Any]]
    modified_field: str | None = None

    def last_modified(self, request):
        obj = getattr(self, "_object", None)
        return getattr(obj, self.modified_field, None) if obj and self.modified_field else None

    def get_object(self, request, key: str):
        raise NotImplementedError

    def get(self, request, key: str):
        try:
            obj = self.get_object(request, key)
        except Http404:
            return error("Không tìm thấy.", status=404)
        self._object = obj
        return JsonResponse(self.serialize(obj), json_dumps_params={"ensure_ascii": False})


class OpenAPISchemaView(OpenDataView):
    """GET /api/v1/openapi.json: the OpenAPI 3.1 description of this API."""

    def get(self, request):
        return JsonResponse(openapi_document(request), json_dumps_params={"ensure_ascii": False})
