"""Platform console (control domain): provincial admins and council members."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from component_sites.accounts.forms import ConsoleLoginForm

from . import console_views

app_name = "console"

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            template_name="tenants/console/login.html",
            authentication_form=ConsoleLoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page="console:login"), name="logout"),
    path("", console_views.SiteTreeView.as_view(), name="home"),
    path("tao-trang/", console_views.CreateSiteView.as_view(), name="create"),
    path("sap-nhap/", console_views.MergeView.as_view(), name="merge"),
    path("sap-nhap/<int:pk>/", console_views.MergeStatusView.as_view(), name="merge_status"),
    path(
        "sap-nhap/<int:pk>/<str:action>/",
        console_views.MergeJobActionView.as_view(),
        name="merge_action",
    ),
    path("nhat-ky/", console_views.AuditLogView.as_view(), name="audit"),
    path("luoc-do/", console_views.SchemaStatusView.as_view(), name="schemas"),
    path("thu-tuc/", include("tenants.procedures.console_urls")),
    path("danh-gia/", include("tenants.scoring.console_urls")),
    path("trang/<str:code>/", console_views.SiteDetailView.as_view(), name="site"),
    path(
        "trang/<str:code>/ho-tro/", console_views.SupportLoginView.as_view(), name="support_login"
    ),
    path(
        "trang/<str:code>/<str:action>/",
        console_views.SiteActionView.as_view(),
        name="site_action",
    ),
]
