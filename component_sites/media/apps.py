"""Media library (thư viện ảnh – video): photo albums, videos and radio/audio programmes."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "component_sites.media"
    label = "media"
    verbose_name = "Thư viện ảnh – video – âm thanh"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage, register_section_page
        from component_sites.core.transfer import INTO, register_section_move

        from .demo import build_media

        register_section_page(SectionPage.Key.MEDIA, "media.MediaIndexPage")
        register_section_move(SectionPage.Key.MEDIA, INTO)  # merges: into the survivor's
        register_demo_builder("media", build_media)
