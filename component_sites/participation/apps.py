"""Citizen participation: questions and answers, drafts for public comment."""

from django.apps import AppConfig

from component_sites.core.registry import register_section_page


class ParticipationConfig(AppConfig):
    name = "component_sites.participation"
    label = "participation"
    verbose_name = "Tương tác công dân"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage
        from component_sites.core.section_moves import (
            INTO,
            register_row_mover,
            register_section_move,
        )

        from . import views  # noqa: F401 - fills the routes' handlers (page_views)
        from .demo import build_participation
        from .merging import move_questions

        register_section_page(SectionPage.Key.QUESTIONS, "participation.QuestionIndexPage")
        register_section_page(SectionPage.Key.DRAFTS, "participation.DraftIndexPage")
        register_demo_builder("participation", build_participation)
        # Merges: questions are rows (moved by move_questions); drafts are pages.
        register_section_move(SectionPage.Key.DRAFTS, INTO)
        register_row_mover("questions", move_questions)
