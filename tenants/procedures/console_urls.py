"""Console URLs of the procedure catalogue (included under /console/thu-tuc/)."""

from django.urls import path

from . import console_views as views

app_name = "procedures"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="list"),
    path("them/", views.ProcedureEditView.as_view(), name="create"),
    path("nhap/", views.ImportView.as_view(), name="import"),
    path("nhap/<int:pk>/", views.ImportStatusView.as_view(), name="import_status"),
    path("nhap/<int:pk>/<str:action>/", views.ImportJobActionView.as_view(), name="import_action"),
    path("xuat/", views.ExportView.as_view(), name="export"),
    path("trang/<str:site>/", views.SiteStatusView.as_view(), name="site"),
    path("trang/<str:site>/gui-lai/", views.SiteRetryView.as_view(), name="site_retry"),
    path("<str:code>/", views.ProcedureDetailView.as_view(), name="detail"),
    path("<str:code>/sua/", views.ProcedureEditView.as_view(), name="edit"),
    path("<str:code>/bieu-mau/<int:form_id>/", views.FormFileView.as_view(), name="form_file"),
    path("<str:code>/<str:action>/", views.ProcedureActionView.as_view(), name="action"),
]
