"""Each site's copy of the procedures for its level, and the pages that show them."""

from django.apps import AppConfig

from component_sites.core.registry import register_page_content, register_section_page


class ProceduresConfig(AppConfig):
    name = "component_sites.procedures"
    label = "procedures"
    verbose_name = "Thủ tục hành chính"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage

        from .demo import build_demo_procedures

        register_section_page(SectionPage.Key.PROCEDURES, "procedures.ProcedureIndexPage")
        register_demo_builder("procedures", build_demo_procedures)
        register_page_content("procedures")  # its rows appear on public pages
