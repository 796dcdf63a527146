"""Public results of the council's evaluation, served by the province portal only."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("", public_views.results_index, name="scoring_results"),
    path("<int:period_id>/", public_views.results_detail, name="scoring_results_period"),
    path(
        "<int:period_id>/ket-qua.xlsx",
        public_views.results_download,
        {"fmt": "xlsx"},
        name="scoring_results_xlsx",
    ),
    path(
        "<int:period_id>/ket-qua.pdf",
        public_views.results_download,
        {"fmt": "pdf"},
        name="scoring_results_pdf",
    ),
]
