"""What the documents give the province's scoring: the documents published in the period."""

from __future__ import annotations

from component_sites.core.figures import (
    Figure,
    Scope,
    dmy,
    pages_below,
    published_pages_figure,
    register,
    register_section_content,
)
from component_sites.core.models import SectionPage

from .models import LegalDocumentPage


def documents(scope: Scope) -> Figure:
    """Legal documents (``documents.LegalDocumentPage``) live and public, first published."""
    return published_pages_figure(
        LegalDocumentPage,
        scope,
        ("number", "issue_date"),
        lambda page: f"Số {page.number}, ban hành {dmy(page.issue_date)}",
    )


register("documents", "Văn bản đăng trong kỳ", documents)
register_section_content(SectionPage.Key.DOCUMENTS, pages_below("documents.LegalDocumentPage"))
