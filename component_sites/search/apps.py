"""Site search: pages, documents and procedures, diacritics ignored, grouped by kind."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "component_sites.search"
    label = "site_search"
    verbose_name = "Tìm kiếm"
