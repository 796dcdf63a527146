"""Themes and per-site branding (logo, colours, banner, the body's identity in the footer)."""

from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    label = "themes"
    verbose_name = "Giao diện"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder

        from . import demo

        register_demo_builder("branding", demo.build)
