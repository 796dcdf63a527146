"""Control plane app: the registry of sites, their domains and their lifecycle."""

from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Quản lý hệ thống cổng thông tin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import edge_cache, routing_cache

        routing_cache.register()
        edge_cache.register()
