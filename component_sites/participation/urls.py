"""Uncached form URLs of readers' comments, ratings and the service satisfaction rating."""

from django.urls import path

from . import reader_views

urlpatterns = [
    path(
        "bai-viet/<int:article_id>/binh-luan/",
        reader_views.article_comment,
        name="participation_article_comment",
    ),
    path(
        "bai-viet/<int:article_id>/danh-gia/",
        reader_views.article_rating,
        name="participation_article_rating",
    ),
    path("danh-gia-dich-vu/", reader_views.service_rating, name="participation_service_rating"),
]
