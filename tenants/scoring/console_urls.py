"""Console URLs of scoring (included under /console/danh-gia/)."""

from django.urls import path

from .console_periods import (
    ExcludeSiteView,
    ExportView,
    IncludeSiteView,
    PeriodActionView,
    PeriodView,
)
from .console_setup import CouncilView, CreatePeriodView, CriteriaView, HomeView
from .console_sites import FigureView, SiteScoreView

app_name = "scoring"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("ky/moi/", CreatePeriodView.as_view(), name="create_period"),
    path("hoi-dong/", CouncilView.as_view(), name="council"),
    path("tieu-chi/<str:code>/", CriteriaView.as_view(), name="criteria"),
    path("ky/<int:pk>/", PeriodView.as_view(), name="period"),
    path("ky/<int:pk>/ket-qua.<str:fmt>", ExportView.as_view(), name="export"),
    path("ky/<int:pk>/trang/<str:code>/", SiteScoreView.as_view(), name="site"),
    path(
        "ky/<int:pk>/trang/<str:code>/so-lieu/<str:metric>/",
        FigureView.as_view(),
        name="figure",
    ),
    path("ky/<int:pk>/loai-trang/", ExcludeSiteView.as_view(), name="exclude"),
    path("ky/<int:pk>/dua-lai/<str:code>/", IncludeSiteView.as_view(), name="include"),
    path("ky/<int:pk>/<str:action>/", PeriodActionView.as_view(), name="action"),
]
