"""Control plane app: the registry of sites, their domains and their lifecycle."""

from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Quản lý hệ thống cổng thông tin"
    default_auto_field = "django.db.models.BigAutoField"
