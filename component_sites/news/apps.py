"""News (tin tức – sự kiện): news index, categories (chuyên mục) and articles."""

from django.apps import AppConfig

from component_sites.core.registry import (
    register_home_context,
    register_page_content,
    register_section_page,
)


class NewsConfig(AppConfig):
    name = "component_sites.news"
    label = "news"
    verbose_name = "Tin tức – sự kiện"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core import live
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage
        from component_sites.core.section_moves import INTO, register_section_move

        from . import queries
        from .demo import build_news
        from .merging import former_unit_category

        register_section_page(SectionPage.Key.NEWS, "news.NewsIndexPage")
        register_demo_builder("news", build_news)
        # Article views are counted by the page's script when an edge cache serves it.
        live.BEACON_KINDS.add("article-view")
        # Merges: a merged site's news go under a category named after the former unit.
        register_section_move(SectionPage.Key.NEWS, INTO, former_unit_category)
        register_page_content("news")  # its rows appear on public pages
        register_home_context(queries.home_context)  # the home page's news
