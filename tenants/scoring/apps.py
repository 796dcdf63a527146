"""Scoring periods, criteria, figures and council scores live in the public schema."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ScoringConfig(AppConfig):
    name = "tenants.scoring"
    label = "scoring"
    verbose_name = "Đánh giá, xếp hạng trang thành viên"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 (checks register themselves)

        # Every app's figures.py registers the figures its data gives
        # (component_sites.core.figures); scoring's own are in tenants/scoring/figures.py.
        autodiscover_modules("figures")
