"""What the documents give the province's scoring: the documents published in the period."""

from __future__ import annotations

from decimal import Decimal

from component_sites.core.figures import (
    NO_HOME,
    Figure,
    Scope,
    count_figure,
    dmy,
    item,
    page_url,
    pages_below,
    published_pages,
    register,
    register_section_content,
    site_home,
)
from component_sites.core.models import SectionPage

from .models import LegalDocumentPage


def documents(scope: Scope) -> Figure:
    """Legal documents (``documents.LegalDocumentPage``) live and public, first published."""
    home = site_home()
    if home is None:
        return Figure(Decimal(0), note=NO_HOME)
    pages = published_pages(LegalDocumentPage, scope, home).only(
        "title", "url_path", "first_published_at", "number", "issue_date"
    )
    return count_figure(
        [
            item(
                page.title,
                page_url(scope, home, page.url_path),
                page.first_published_at,
                detail=f"Số {page.number}, ban hành {dmy(page.issue_date)}",
            )
            for page in pages
        ]
    )


register("documents", "Văn bản đăng trong kỳ", documents)
register_section_content(SectionPage.Key.DOCUMENTS, pages_below("documents.LegalDocumentPage"))
