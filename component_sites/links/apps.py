"""Link banners and link groups (liên kết website) as snippets of each site."""

from django.apps import AppConfig

from component_sites.core.registry import register_page_content


class LinksConfig(AppConfig):
    name = "component_sites.links"
    label = "links"
    verbose_name = "Liên kết – banner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder

        from .demo import build_links

        register_demo_builder("links", build_links)
        register_page_content("links")  # its rows appear on public pages
