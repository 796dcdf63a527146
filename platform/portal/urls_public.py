"""URLs of the control domain (public schema): the platform console."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="console:home", permanent=False)),
    path("console/", include("tenants.console_urls")),
]
