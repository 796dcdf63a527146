"""URLs of a member site (any tenant schema)."""

from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents.views.serve import authenticate_with_password

from component_sites.accounts.support import support_login
from component_sites.core.live import live_view
from component_sites.core.views import serve_document, site_media
from component_sites.notices.views import urgent_notice_detail
from component_sites.search.discovery import html_sitemap, news_feed, robots_txt
from portal.csp import csp_report
from tenants.scoring.sitemaps import ScoringResultsSitemap
from themes.views import site_stylesheet

urlpatterns = [
    # Before the admin's URLs: the support link is opened by someone not yet logged in.
    path("admin/ho-tro/<str:token>/", support_login, name="support_login"),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document URLs, served by one view that adds the upload headers (sandbox CSP).
    re_path(r"^documents/(\d+)/(.*)$", serve_document, name="wagtaildocs_serve"),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("api/v1/", include("component_sites.opendata.urls")),
    path("tim-kiem/", include("component_sites.search.urls")),
    path("tuong-tac/", include("component_sites.participation.urls")),
    # Province portal only (404 elsewhere): the council's published results.
    path("ket-qua-danh-gia/", include("tenants.scoring.public_urls")),
    path("_live/", live_view, name="live_parts"),
    path("thong-bao-khan/<int:pk>/", urgent_notice_detail, name="urgent_notice_detail"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("csp-report/", csp_report, name="csp_report"),
    path("giao-dien.css", site_stylesheet, name="site_stylesheet"),
    # Every live page (procedures and published answers included, by their index pages'
    # get_sitemap_urls), then the province's published scoring results.
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": PageSitemap, "scoring": ScoringResultsSitemap}},
        name="sitemap_xml",
    ),
    path("so-do-trang/", html_sitemap, name="html_sitemap"),
    path("rss/", news_feed, name="news_feed"),
    path("rss/<int:page_id>/", news_feed, name="news_category_feed"),
    re_path(r"^media/(?P<path>.+)$", site_media, name="site_media"),
    path("", include(wagtail_urls)),
]

# A missing page of a site is answered with the site's own header, menu and search.
handler404 = "component_sites.core.errors.page_not_found"
