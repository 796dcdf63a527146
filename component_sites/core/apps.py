"""Shared building blocks of every site: base page, home page, image and document models."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "component_sites.core"
    label = "core"
    verbose_name = "Nền tảng trang thành viên"
    default_auto_field = "django.db.models.BigAutoField"
