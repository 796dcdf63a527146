"""Open data: the site's legal documents as JSON (read-only, paginated, this schema only)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from component_sites.core.text import fold
from component_sites.opendata.datasets import Dataset, register_dataset
from component_sites.opendata.views import OpenDataDetailView, OpenDataListView, error

from .models import DocumentType, LegalDocumentAttachment, LegalDocumentPage


def documents():
    return (
        LegalDocumentPage.objects.live()
        .public()
        .select_related("document_type", "issuing_body", "field")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=LegalDocumentAttachment.objects.select_related("document").order_by(
                    "sort_order"
                ),
            )
        )
    )


def serialize(page: LegalDocumentPage, request) -> dict:
    base = page.get_full_url(request) or ""
    return {
        "id": page.pk,
        "number": page.number,
        "title": page.title,
        "type": page.document_type.name,
        "issuing_body": page.issuing_body.name,
        "field": page.field.name if page.field_id else "",
        "signer": page.signer,
        "issue_date": page.issue_date.isoformat(),
        "effective_date": page.effective_date.isoformat() if page.effective_date else None,
        "abstract": page.abstract,
        "party_document": page.is_party_document,
        "url": base,
        "files": [
            {
                "title": attachment.label or attachment.document.title,
                "filename": attachment.document.filename,
                "size": attachment.document.get_file_size(),  # stored once known
                "url": f"{base}tai-ve/{attachment.pk}/",
            }
            for attachment in page.attachments.all()
        ],
    }


class DocumentListAPI(OpenDataListView):
    """GET /api/v1/documents/?q=&type=<slug>&year=YYYY"""

    modified_field = "last_published_at"

    def get_queryset(self, request):
        self.request = request
        queryset = documents().order_by("-issue_date", "-pk")
        type_slug = request.GET.get("type", "")
        if type_slug:
            document_type = DocumentType.objects.filter(slug=type_slug[:100]).first()
            if document_type is None:
                return error(f"Không có loại văn bản “{type_slug[:50]}”.")
            queryset = queryset.filter(document_type=document_type)
        year = request.GET.get("year", "")
        if year:
            if not (year.isdigit() and 1945 <= int(year) <= 2100):
                return error("year phải là năm có bốn chữ số, từ 1945.")
            queryset = queryset.filter(issue_year=int(year))
        query = fold(request.GET.get("q", "")[:200])
        if query:
            ids = [
                page.pk for page in LegalDocumentPage.objects.live().search(query, operator="and")
            ]
            queryset = queryset.filter(pk__in=ids)
        return queryset

    def serialize(self, page):
        return serialize(page, self.request)


class DocumentDetailAPI(OpenDataDetailView):
    """GET /api/v1/documents/<id>/"""

    modified_field = "last_published_at"

    def get_object(self, request, key: str):
        self.request = request
        if not key.isdigit():
            raise Http404
        page = documents().filter(pk=int(key)).first()
        if page is None:
            raise Http404
        return page

    def serialize(self, page):
        return serialize(page, self.request)


TEXT = {"type": "string"}
ITEM_SCHEMA = {
    "type": "object",
    "required": [
        "id", "number", "title", "type", "issuing_body", "field", "signer", "issue_date",
        "effective_date", "abstract", "party_document", "url", "files",
    ],
    "properties": {
        "id": {"type": "integer"},
        "number": {**TEXT, "description": "Số, ký hiệu."},
        "title": TEXT,
        "type": {**TEXT, "description": "Loại văn bản."},
        "issuing_body": {**TEXT, "description": "Cơ quan ban hành."},
        "field": {**TEXT, "description": "Lĩnh vực."},
        "signer": {**TEXT, "description": "Người ký."},
        "issue_date": {"type": "string", "format": "date"},
        "effective_date": {"type": ["string", "null"], "format": "date"},
        "abstract": {**TEXT, "description": "Trích yếu."},
        "party_document": {"type": "boolean", "description": "Văn bản của Đảng."},
        "url": {"type": "string", "format": "uri"},
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "filename", "size", "url"],
                "properties": {
                    "title": TEXT,
                    "filename": TEXT,
                    "size": {"type": "integer", "minimum": 0, "description": "Byte."},
                    "url": {"type": "string", "format": "uri"},
                },
            },
        },
    },
    "additionalProperties": False,
}  # fmt: skip


def list_parameters() -> list[dict]:
    """The list's query parameters; ``type`` takes the site's own document types."""
    slugs = sorted(DocumentType.objects.values_list("slug", flat=True))
    parameters = [
        {
            "name": "q",
            "in": "query",
            "description": "Từ khoá (không phân biệt dấu).",
            "schema": {"type": "string", "maxLength": 200},
        },
        {
            "name": "year",
            "in": "query",
            "description": "Năm ban hành.",
            "schema": {"type": "integer", "minimum": 1945, "maximum": 2100},
        },
    ]
    if slugs:
        parameters.append(
            {
                "name": "type",
                "in": "query",
                "description": "Loại văn bản (slug) của trang, ví dụ quyet-dinh.",
                "schema": {"type": "string", "enum": slugs},
            }
        )
    return parameters


register_dataset(
    Dataset(
        name="documents",
        title="Văn bản",
        description="Văn bản của trang: số ký hiệu, loại, cơ quan ban hành, ngày, trích yếu, tệp.",
        list_url_name="opendata_documents",
        item_schema=ITEM_SCHEMA,
        list_parameters=list_parameters,
        key_description="Mã số (id) của văn bản.",
    )
)
