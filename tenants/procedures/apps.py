"""The master procedure catalogue (public schema) and its syndication receipts."""

from django.apps import AppConfig


class ProcedureCatalogConfig(AppConfig):
    name = "tenants.procedures"
    label = "procedure_catalog"
    verbose_name = "Danh mục thủ tục hành chính (tỉnh)"
    default_auto_field = "django.db.models.BigAutoField"
