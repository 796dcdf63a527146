"""Each site's copy of the procedures for its level, and the pages that show them."""

from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "component_sites.procedures"
    label = "procedures"
    verbose_name = "Thủ tục hành chính"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage, register_section_page

        from .demo import build_demo_procedures

        register_section_page(SectionPage.Key.PROCEDURES, "procedures.ProcedureIndexPage")
        register_demo_builder("procedures", build_demo_procedures)
