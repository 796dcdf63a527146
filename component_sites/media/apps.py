"""Media library (thư viện ảnh – video): photo albums, videos and radio/audio programmes."""

from django.apps import AppConfig

from component_sites.core.registry import (
    register_home_context,
    register_page_content,
    register_section_page,
)


class MediaConfig(AppConfig):
    name = "component_sites.media"
    label = "media"
    verbose_name = "Thư viện ảnh – video – âm thanh"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage
        from component_sites.core.section_moves import INTO, register_section_move

        from . import queries
        from .demo import build_media

        register_section_page(SectionPage.Key.MEDIA, "media.MediaIndexPage")
        register_section_move(SectionPage.Key.MEDIA, INTO)  # merges: into the survivor's
        register_demo_builder("media", build_media)
        register_page_content("media")  # its rows appear on public pages
        register_home_context(queries.home_context)  # the home page's media
