"""Themes and per-site branding (logo, colours, banner, the body's identity in the footer)."""

from django.apps import AppConfig

from component_sites.core.registry import register_page_content


class ThemesConfig(AppConfig):
    name = "themes"
    label = "themes"
    verbose_name = "Giao diện"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder

        from . import demo

        register_demo_builder("branding", demo.build)
        register_page_content("themes")  # branding appears on every page
