"""Open data: the site's procedures as JSON (read-only, paginated, this schema only)."""

from django.http import Http404

from component_sites.opendata.datasets import Dataset, register_dataset
from component_sites.opendata.views import OpenDataDetailView, OpenDataListView, error
from tenants.procedures.models import Level

from .models import (
    LOCAL_FIELDS,
    SYNDICATED_FIELDS,
    ProcedureCopy,
    active_copies,
    filter_copies,
)

# The copy as published: what the province sent, its version and origin, the local fields.
FIELDS = [*SYNDICATED_FIELDS, "version", "origin", *LOCAL_FIELDS]


def serialize(copy: ProcedureCopy, request=None) -> dict:
    data = {name: getattr(copy, name) for name in FIELDS}
    data["updated_at"] = copy.synced_at.isoformat()
    data["forms"] = [
        {"title": f["title"], "filename": f["filename"], "size": f["size"], "sha256": f["sha256"]}
        for f in copy.forms
    ]
    return data


class ProcedureListAPI(OpenDataListView):
    """GET /api/v1/procedures/?q=&field=&level=&status=active|withdrawn|all"""

    modified_field = "synced_at"

    def get_queryset(self, request):
        status = request.GET.get("status", "active")
        if status not in ("active", "withdrawn", "all"):
            return error("status phải là active, withdrawn hoặc all.")
        level = request.GET.get("level", "")
        if level and level not in Level.values:
            return error("level phải là province, district hoặc commune.")
        copies = ProcedureCopy.objects.all() if status == "all" else active_copies()
        if status == "withdrawn":
            copies = ProcedureCopy.objects.filter(status="withdrawn")
        return filter_copies(
            copies.order_by("code"),
            query=request.GET.get("q", "")[:200],
            field=request.GET.get("field", "")[:255],
            level=level,
        )

    @staticmethod
    def serialize(copy):
        return serialize(copy)


class ProcedureDetailAPI(OpenDataDetailView):
    """GET /api/v1/procedures/<code>/"""

    modified_field = "synced_at"

    def get_object(self, request, key):
        copy = ProcedureCopy.objects.filter(code=key).first()
        if copy is None:
            raise Http404
        return copy

    @staticmethod
    def serialize(copy):
        return serialize(copy)


def item_schema() -> dict:
    """JSON Schema of ``serialize``'s output, read from the model's fields (stays true)."""
    from django.contrib.postgres.fields import ArrayField
    from django.db import models

    properties = {}
    for name in FIELDS:
        model_field = ProcedureCopy._meta.get_field(name)
        if isinstance(model_field, ArrayField):
            properties[name] = {"type": "array", "items": {"type": "string"}}
        elif isinstance(model_field, models.JSONField):
            # The structured detail: steps are text, ways/dossier items/legal documents objects.
            item = {"type": "string"} if name == "step_list" else {"type": "object"}
            properties[name] = {"type": "array", "items": item}
        elif isinstance(model_field, models.IntegerField):
            properties[name] = {"type": "integer"}
        else:
            properties[name] = {"type": "string"}
        properties[name]["description"] = str(model_field.verbose_name)
    properties["updated_at"] = {"type": "string", "format": "date-time"}
    properties["forms"] = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["title", "filename", "size", "sha256"],
            "properties": {
                "title": {"type": "string"},
                "filename": {"type": "string"},
                "size": {"type": "integer", "minimum": 0},
                "sha256": {"type": "string"},
            },
        },
    }
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def _query(name, description, **schema):
    return {"name": name, "in": "query", "description": description, "schema": schema}


register_dataset(
    Dataset(
        name="procedures",
        title="Thủ tục hành chính",
        description="Thủ tục hành chính áp dụng tại đơn vị (theo danh mục của tỉnh).",
        list_url_name="opendata_procedures",
        item_schema=item_schema(),
        list_parameters=[
            _query("q", "Từ khoá (không phân biệt dấu).", type="string", maxLength=200),
            _query("field", "Lĩnh vực.", type="string", maxLength=255),
            _query("level", "Cấp thực hiện.", type="string", enum=list(Level.values)),
            _query(
                "status",
                "Tình trạng (mặc định: active).",
                type="string",
                enum=["active", "withdrawn", "all"],
            ),
        ],
        key_description="Mã thủ tục, ví dụ 1.001193.",
    )
)
