"""/api/v1/: the index of datasets and each dataset's list and detail."""

from django.urls import path

from component_sites.documents import api as documents_api
from component_sites.procedures import api as procedures_api

from .views import DatasetIndexView, OpenAPISchemaView

urlpatterns = [
    path("", DatasetIndexView.as_view(), name="opendata_index"),
    path("openapi.json", OpenAPISchemaView.as_view(), name="opendata_schema"),
    path("procedures/", procedures_api.ProcedureListAPI.as_view(), name="opendata_procedures"),
    path(
        "procedures/<str:key>/",
        procedures_api.ProcedureDetailAPI.as_view(),
        name="opendata_procedure",
    ),
    path("documents/", documents_api.DocumentListAPI.as_view(), name="opendata_documents"),
    path(
        "documents/<str:key>/", documents_api.DocumentDetailAPI.as_view(), name="opendata_document"
    ),
]
