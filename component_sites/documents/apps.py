"""Documents (văn bản): legal and administrative documents with faceted search."""

from django.apps import AppConfig

from component_sites.core.registry import (
    register_home_context,
    register_page_content,
    register_section_page,
)


class DocumentsConfig(AppConfig):
    name = "component_sites.documents"
    label = "documents"
    verbose_name = "Văn bản"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage
        from component_sites.core.section_moves import INTO, register_section_move

        from . import queries
        from .demo import build_documents

        register_section_page(SectionPage.Key.DOCUMENTS, "documents.DocumentIndexPage")
        register_section_move(SectionPage.Key.DOCUMENTS, INTO)  # merges: into the survivor's
        register_demo_builder("documents", build_documents)
        register_page_content("documents")  # its rows appear on public pages
        register_home_context(queries.home_context)  # the home page's documents
