"""Site admin: the menu item and views of the site's self-assessment ("Tự đánh giá")."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import can_self_assess, self_assessment_edit, self_assessment_list


@hooks.register("register_admin_urls")
def self_assessment_urls():
    return [
        path("tu-danh-gia/", self_assessment_list, name="scoring_self_assessments"),
        path("tu-danh-gia/<int:period_id>/", self_assessment_edit, name="scoring_self_assessment"),
    ]


class SelfAssessmentMenuItem(MenuItem):
    def is_shown(self, request):
        return can_self_assess(request.user)


@hooks.register("register_admin_menu_item")
def self_assessment_menu_item():
    return SelfAssessmentMenuItem(
        "Tự đánh giá", reverse("scoring_self_assessments"), icon_name="clipboard-list", order=905
    )
