"""Read-only, paginated JSON views of a site's open data (its own schema only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views import View

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass
class Dataset:
    name: str
    title: str
    description: str
    list_url_name: str


_DATASETS: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset) -> None:
    """Make ``dataset`` appear in the index (apps call this in ``AppConfig.ready``)."""
    _DATASETS[dataset.name] = dataset


def error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


class DatasetIndexView(View):
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
                        "url": request.build_absolute_uri(reverse(d.list_url_name)),
                    }
                    for d in _DATASETS.values()
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )


class OpenDataListView(View):
    """A paginated list: ``?page=N&page_size=M`` (at most 100), newest data each request.

    Subclasses give ``get_queryset(request)`` (or return an error response from it) and
    ``serialize(obj)``.  The envelope is the same for every dataset.
    """

    serialize: Callable[[Any], dict[str, Any]]

    def get_queryset(self, request):
        raise NotImplementedError

    def get(self, request):
        queryset = self.get_queryset(request)
        if isinstance(queryset, JsonResponse):
            return queryset
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
            return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

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


class OpenDataDetailView(View):
    """One record by its key, or a JSON 404."""

    serialize: Callable[[Any], dict[str, Any]]

    def get_object(self, request, key: str):
        raise NotImplementedError

    def get(self, request, key: str):
        try:
            obj = self.get_object(request, key)
        except Http404:
            return error("Không tìm thấy.", status=404)
        return JsonResponse(self.serialize(obj), json_dumps_params={"ensure_ascii": False})
