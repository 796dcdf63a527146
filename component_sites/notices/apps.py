"""Notices (thông báo) and site-wide urgent notices (thông báo khẩn)."""

from django.apps import AppConfig

from component_sites.core.registry import (
    register_cache_expiry,
    register_home_context,
    register_page_content,
    register_section_page,
)


class NoticesConfig(AppConfig):
    name = "component_sites.notices"
    label = "notices"
    verbose_name = "Thông báo"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage
        from component_sites.core.section_moves import INTO, register_section_move

        from . import queries
        from .demo import build_notices

        register_section_page(SectionPage.Key.NOTICES, "notices.NoticeIndexPage")
        register_section_move(SectionPage.Key.NOTICES, INTO)  # merges: into the survivor's
        register_demo_builder("notices", build_notices)
        register_page_content("notices")  # its rows appear on public pages
        register_home_context(queries.home_context)  # the home page's notices
        # Cached pages last no longer than the next urgent banner's start or end.
        register_cache_expiry(queries.next_urgent_change)
