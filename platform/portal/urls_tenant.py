"""URLs of a member site (any tenant schema)."""

from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from component_sites.core.views import site_media

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("component_sites.opendata.urls")),
    path("tim-kiem/", include("component_sites.search.urls")),
    re_path(r"^media/(?P<path>.+)$", site_media, name="site_media"),
    path("", include(wagtail_urls)),
]
