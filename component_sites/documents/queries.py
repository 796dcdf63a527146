"""Bounded queries over documents for the home page."""

from __future__ import annotations

from component_sites.core.site_cache import public

from .models import LegalDocumentPage


def newest_documents(home, n=5):
    """The ``n`` most recently issued live documents of the site under ``home``."""
    return list(
        public(LegalDocumentPage.objects.descendant_of(home).live())
        .select_related("document_type", "issuing_body")
        .order_by("-issue_date", "-pk")[:n]
    )


def home_context(home) -> dict:
    return {"documents": newest_documents(home, 5)}
