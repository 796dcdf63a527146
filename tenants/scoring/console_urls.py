"""Console URLs of scoring (included under /console/danh-gia/)."""

from django.urls import path

from . import console_periods as views

app_name = "scoring"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("ky/moi/", views.CreatePeriodView.as_view(), name="create_period"),
    path("hoi-dong/", views.CouncilView.as_view(), name="council"),
    path("tieu-chi/<str:code>/", views.CriteriaView.as_view(), name="criteria"),
    path("ky/<int:pk>/", views.PeriodView.as_view(), name="period"),
    path("ky/<int:pk>/ket-qua.<str:fmt>", views.ExportView.as_view(), name="export"),
    path("ky/<int:pk>/trang/<str:code>/", views.SiteScoreView.as_view(), name="site"),
    path(
        "ky/<int:pk>/trang/<str:code>/so-lieu/<str:metric>/",
        views.FigureView.as_view(),
        name="figure",
    ),
    path("ky/<int:pk>/loai-trang/", views.ExcludeSiteView.as_view(), name="exclude"),
    path("ky/<int:pk>/dua-lai/<str:code>/", views.IncludeSiteView.as_view(), name="include"),
    path("ky/<int:pk>/<str:action>/", views.PeriodActionView.as_view(), name="action"),
]
