"""The document list: filters (type, body, field, year, Party documents), search, facets.

Facet counts follow the usual rule: each facet counts the documents matching every
*other* active filter and the search, so a visitor sees what choosing a value would give.
Every query here is bounded: the number of SQL queries does not depend on how many
documents are listed.  Search goes through Wagtail's search API (``.search()``), so the
backend's accent-insensitive configuration applies ("nghi dinh" finds "Nghị định").
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.db.models import Count, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from component_sites.core.numbers import filter_by_number, is_number_query
from component_sites.core.pagination import paginate
from component_sites.core.text import fold

# The models are looked up by label: the index page's model (``models``) imports this module.
DOCUMENT = "documents.LegalDocumentPage"
TYPE, BODY, FIELD = "documents.DocumentType", "documents.IssuingBody", "documents.DocumentField"

MAX_QUERY_LENGTH = 200


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str  # form field name (the query-string key)
    label: str
    options: list[FacetOption]


class DocumentFilterForm(forms.Form):
    """The filters as sent in the query string; invalid values are reported and ignored."""

    q = forms.CharField(
        label=_("Từ khoá"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Từ khoá dài quá %(limit_value)d ký tự; đã bỏ qua tìm kiếm.")
        },
    )
    loai = forms.ChoiceField(label=_("Loại văn bản"), required=False)
    co_quan = forms.ChoiceField(label=_("Cơ quan ban hành"), required=False)
    linh_vuc = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    nam = forms.IntegerField(
        label=_("Năm ban hành"),
        required=False,
        min_value=1945,
        max_value=2100,
        error_messages={
            "invalid": _("Năm ban hành phải là một số (ví dụ 2025); đã bỏ qua bộ lọc năm."),
            "min_value": _("Năm ban hành không hợp lệ; đã bỏ qua bộ lọc năm."),
            "max_value": _("Năm ban hành không hợp lệ; đã bỏ qua bộ lọc năm."),
        },
    )
    dang = forms.BooleanField(label=_("Chỉ văn bản của Đảng"), required=False)

    unknown_messages = {
        "loai": _("Không có loại văn bản “%(value)s”; đã bỏ qua bộ lọc này."),
        "co_quan": _("Không có cơ quan ban hành “%(value)s”; đã bỏ qua bộ lọc này."),
        "linh_vuc": _("Không có lĩnh vực “%(value)s”; đã bỏ qua bộ lọc này."),
    }

    def __init__(self, data, *, types, bodies, fields):
        super().__init__(data)
        for name, items in (("loai", types), ("co_quan", bodies), ("linh_vuc", fields)):
            field = self.fields[name]
            field.choices = [("", _("Tất cả")), *((item.slug, item.name) for item in items)]
            # The message is formatted again with the error's params: a "%" typed in the
            # query must stay a literal "%" (it was a 500 on "?loai=%_").
            field.error_messages["invalid_choice"] = self.unknown_messages[name] % {
                "value": str(data.get(name, ""))[:60].replace("%", "%%")
            }

    def messages(self):
        return [str(error) for errors in self.errors.values() for error in errors]


# facet name → (column grouped and filtered on, classification model or None); the search
# backend's facets take the column name (attname) of a FilterField.
FACETS = {
    "loai": ("document_type_id", TYPE),
    "co_quan": ("issuing_body_id", BODY),
    "linh_vuc": ("field_id", FIELD),
    "nam": ("issue_year", None),
}


class DocumentListing:
    """Everything the document list template shows, computed from one request."""

    def __init__(self, index_page, request):
        self.index_page = index_page
        classifications = {
            label: list(apps.get_model(label).objects.all()) for label in (TYPE, BODY, FIELD)
        }
        self.form = form = DocumentFilterForm(
            request.GET,
            types=classifications[TYPE],
            bodies=classifications[BODY],
            fields=classifications[FIELD],
        )
        form.is_valid()  # fills cleaned_data with the valid fields only
        data = form.cleaned_data
        self.query = (data.get("q") or "").strip()
        self.messages = form.messages()

        # Active filters as ORM lookups, by facet name.
        self.filters: dict[str, dict] = {}
        by_slug = {model: {c.slug: c for c in items} for model, items in classifications.items()}
        for name, (field_name, model) in FACETS.items():
            value = data.get(name)
            if value in (None, ""):
                continue
            if model is not None:
                self.filters[name] = {field_name: by_slug[model][value].pk}
            else:
                self.filters[name] = {field_name: value}
        self.party_only = bool(data.get("dang"))
        # "13/2023/NĐ-CP", "22/TB-UBND", "194": the number column, when it has the document.
        self.by_number = is_number_query(self.query) and (
            filter_by_number(self._base(), self.query).exists()
        )

        self.facets = self._facets(classifications, data)
        results = self._results(exclude=None)
        if self.by_number:
            results = filter_by_number(results, self.query).order_by("-issue_date", "-pk")
        elif self.query:
            results = results.search(fold(self.query), order_by_relevance=True)
        else:
            results = results.order_by("-issue_date", "-pk")
        self.page, page_message = paginate(request, results, index_page.per_page)
        if page_message:
            self.messages.append(str(page_message))
        self.documents = list(self.page.object_list)
        prefetch_related_objects(
            self.documents, "document_type", "issuing_body", "field", "attachments__document"
        )
        self.total = self.page.paginator.count
        self.query_prefix = self._query_prefix(request)

    def _base(self):
        queryset = apps.get_model(DOCUMENT).objects.child_of(self.index_page).live().public()
        if self.party_only:
            queryset = queryset.filter(is_party_document=True)
        return queryset

    def _results(self, exclude):
        queryset = self._base()
        for name, lookup in self.filters.items():
            if name != exclude:
                queryset = queryset.filter(**lookup)
        return queryset

    def _counts(self, name):
        field_name = FACETS[name][0]
        queryset = self._results(exclude=name)
        if self.by_number:
            queryset = filter_by_number(queryset, self.query)
        elif self.query:
            return dict(queryset.search(fold(self.query)).facet(field_name))
        rows = queryset.order_by().values(field_name).annotate(n=Count("pk"))
        return {row[field_name]: row["n"] for row in rows}

    def _facets(self, classifications, data):
        facets = []
        for name, (_field_name, model) in FACETS.items():
            counts = self._counts(name)
            selected = data.get(name)
            if model is not None:
                options = [
                    FacetOption(item.slug, item.name, counts.get(item.pk, 0), item.slug == selected)
                    for item in classifications[model]
                    if counts.get(item.pk) or item.slug == selected
                ]
            else:
                options = [
                    FacetOption(str(year), str(year), count, year == selected)
                    for year, count in sorted(counts.items(), reverse=True)
                    if year
                ]
                if selected and selected not in counts:
                    options.insert(0, FacetOption(str(selected), str(selected), 0, True))
            facets.append(Facet(name, str(self.form.fields[name].label), options))
        return facets

    def _query_prefix(self, request):
        """The current query string without ``page``, ready for ``?{prefix}page=N``."""
        params = request.GET.copy()
        params.pop("page", None)
        encoded = params.urlencode()
        return f"{encoded}&" if encoded else ""

    @property
    def is_filtered(self):
        return bool(self.filters or self.query or self.party_only)
