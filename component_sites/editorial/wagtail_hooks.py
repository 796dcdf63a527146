"""Admin wiring: snippets, statistics and royalty views, collaborators limited to articles."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import two_factor_views
from .models import CategoryAssignment, ContributingUnit
from .roles import STAFF_ROLES
from .views import royalty_view, statistics_view

STATS_PERMISSION = "editorial.view_editorial_statistics"


class ContributingUnitViewSet(SnippetViewSet):
    model = ContributingUnit
    icon = "group"
    menu_label = "Đơn vị cộng tác"
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]


class CategoryAssignmentViewSet(SnippetViewSet):
    model = CategoryAssignment
    icon = "user"
    menu_label = "Phân công chuyên mục"
    list_display = ["user", "category"]


register_snippet(ContributingUnitViewSet)
register_snippet(CategoryAssignmentViewSet)


@hooks.register("register_admin_urls")
def editorial_urls():
    guard = permission_required(STATS_PERMISSION, raise_exception=True)
    return [
        path("bien-tap/thong-ke/", guard(statistics_view), name="editorial_statistics"),
        path("bien-tap/nhuan-but/", guard(royalty_view), name="editorial_royalties"),
        path("xac-thuc/", two_factor_views.verify, name="two_factor_verify"),
        path("xac-thuc/dang-ky/", two_factor_views.enrol, name="two_factor_enrol"),
        path(
            "xac-thuc/ma-du-phong/", two_factor_views.backup_codes, name="two_factor_backup_codes"
        ),
        path("xac-thuc/tai-khoan/", two_factor_views.account, name="two_factor_account"),
        path("xac-thuc/dat-lai/<int:user_id>/", two_factor_views.reset, name="two_factor_reset"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_account"),
        "label": "Xác thực hai bước",
        "help_text": "Mã 6 chữ số từ điện thoại mỗi lần đăng nhập, mã dự phòng.",
    }


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(STATS_PERMISSION)


@hooks.register("register_admin_menu_item")
def statistics_menu_item():
    return PermissionMenuItem(
        "Thống kê tin bài", reverse("editorial_statistics"), icon_name="table", order=900
    )


@hooks.register("register_admin_menu_item")
def royalty_menu_item():
    return PermissionMenuItem(
        "Nhuận bút", reverse("editorial_royalties"), icon_name="tag", order=901
    )


@hooks.register("before_create_page")
def collaborators_write_articles_only(request, parent_page, page_class):
    """A collaborator (no staff role) may only create articles, in the categories assigned."""
    from component_sites.news.models import ArticlePage

    user = request.user
    if user.is_superuser or page_class is ArticlePage:
        return None
    if not user.groups.filter(name__in=STAFF_ROLES).exists():
        messages.error(request, "Cộng tác viên chỉ được viết bài trong chuyên mục được phân công.")
        return redirect("wagtailadmin_explore", parent_page.pk)
    return None


@hooks.register("register_log_actions")
def editorial_log_actions(actions):
    actions.register_action(
        "editorial.support_login", "Đăng nhập hỗ trợ", "Cán bộ tỉnh đăng nhập hỗ trợ qua liên kết"
    )
    for action, label, message in TWO_FACTOR_ACTIONS:
        actions.register_action(action, label, message)


TWO_FACTOR_ACTIONS = [
    ("editorial.two_factor_enrol", "Bật xác thực hai bước", "Bật xác thực hai bước"),
    ("editorial.two_factor_failure", "Sai mã xác thực", "Nhập sai mã xác thực khi đăng nhập"),
    ("editorial.two_factor_backup_used", "Dùng mã dự phòng", "Đăng nhập bằng mã dự phòng"),
    ("editorial.two_factor_new_codes", "Tạo mã dự phòng mới", "Tạo mã dự phòng mới"),
    ("editorial.two_factor_disable", "Tắt xác thực hai bước", "Tự tắt xác thực hai bước"),
    ("editorial.two_factor_reset", "Đặt lại xác thực hai bước", "Xoá thiết bị xác thực"),
]
