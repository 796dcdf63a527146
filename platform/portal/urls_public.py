"""URLs of the control domain (public schema): the platform console."""

from django.urls import include, path
from django.views.generic import RedirectView

from portal.csp import csp_report
from themes.views import site_stylesheet

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="console:home", permanent=False)),
    path("console/", include("tenants.console_urls")),
    path("csp-report/", csp_report, name="csp_report"),
    path("giao-dien.css", site_stylesheet, name="site_stylesheet"),
]
