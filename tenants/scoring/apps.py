"""Scoring periods, criteria, figures and council scores live in the public schema."""

from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "tenants.scoring"
    label = "scoring"
    verbose_name = "Đánh giá, xếp hạng trang thành viên"
    default_auto_field = "django.db.models.BigAutoField"
