"""Shared building blocks of every site: base page, home page, image and document models."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "component_sites.core"
    label = "core"
    verbose_name = "Nền tảng trang thành viên"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps

        from . import checks, signal_handlers  # noqa: F401 (checks register themselves)
        from .models import HomePage, SectionPage

        signal_handlers.register()
        # The admin's slug fields transliterate Vietnamese (đ → d, ễ → e) as the server does.
        from .slugs import register_slug_widget

        register_slug_widget()

        # Sections are the only children of a home page, typed ones included.
        HomePage.subpage_types = sorted(
            model._meta.label
            for model in apps.get_models()
            if issubclass(model, SectionPage) and not model._meta.abstract
        )
