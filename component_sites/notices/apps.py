"""Notices (thông báo) and site-wide urgent notices (thông báo khẩn)."""

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "component_sites.notices"
    label = "notices"
    verbose_name = "Thông báo"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage, register_section_page
        from component_sites.core.transfer import INTO, register_section_move

        from .demo import build_notices

        register_section_page(SectionPage.Key.NOTICES, "notices.NoticeIndexPage")
        register_section_move(SectionPage.Key.NOTICES, INTO)  # merges: into the survivor's
        register_demo_builder("notices", build_notices)
