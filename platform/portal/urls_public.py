"""URLs of the control domain (public schema): the platform console."""

from django.urls import include, path
from django.views.generic import RedirectView

from component_sites.accounts import two_factor_views as tf
from portal.csp import csp_report
from themes.views import site_stylesheet

# The console's second login step: the site admin's views, with the console's pages.
CONSOLE = {"flavour": tf.Flavour("tenants/console/two_factor", "console:home", "console:login")}

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="console:home", permanent=False)),
    # Unnamespaced, like the admin's: the two-factor code reverses the same names on both.
    path("console/xac-thuc/", tf.verify, CONSOLE, name="two_factor_verify"),
    path("console/xac-thuc/dang-ky/", tf.enrol, CONSOLE, name="two_factor_enrol"),
    path("console/xac-thuc/ma-du-phong/", tf.backup_codes, CONSOLE, name="two_factor_backup_codes"),
    path("console/xac-thuc/tai-khoan/", tf.account, CONSOLE, name="two_factor_account"),
    path("console/", include("tenants.console_urls")),
    path("csp-report/", csp_report, name="csp_report"),
    path("giao-dien.css", site_stylesheet, name="site_stylesheet"),
]
