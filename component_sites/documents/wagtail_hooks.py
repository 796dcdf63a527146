"""Admin wiring: document types, issuing bodies and fields as snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import DocumentField, DocumentType, IssuingBody


class ClassificationViewSet(SnippetViewSet):
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class DocumentTypeViewSet(ClassificationViewSet):
    model = DocumentType


class IssuingBodyViewSet(ClassificationViewSet):
    model = IssuingBody


class DocumentFieldViewSet(ClassificationViewSet):
    model = DocumentField


class DocumentClassificationGroup(SnippetViewSetGroup):
    items = (DocumentTypeViewSet, IssuingBodyViewSet, DocumentFieldViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Phân loại văn bản")
    menu_name = "document-classifications"


register_snippet(DocumentClassificationGroup)
