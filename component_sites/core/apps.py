"""Shared building blocks of every site: base page, home page, image and document models."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "component_sites.core"
    label = "core"
    verbose_name = "Nền tảng trang thành viên"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signal_handlers, site_cache  # noqa: F401 (checks register themselves)

        signal_handlers.register()
        site_cache.register()
        # The admin's slug fields transliterate Vietnamese (đ → d, ễ → e) as the server does.
        from .slugs import register_slug_widget

        register_slug_widget()
