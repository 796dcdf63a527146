"""Admin wiring of accounts and access: the two-factor pages and account menu item, the audit
log's account actions, the rules on who grants rights applied to the users' bulk actions."""

from django.urls import path, reverse
from wagtail import hooks

from . import two_factor_views, users
from .support import LOG_ACTION as SUPPORT_LOGIN_ACTION


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
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


# Action names predate this app (they were the editorial app's): stored entries keep them.
TWO_FACTOR_ACTIONS = [
    ("editorial.two_factor_enrol", "Bật xác thực hai bước", "Bật xác thực hai bước"),
    ("editorial.two_factor_failure", "Sai mã xác thực", "Nhập sai mã xác thực khi đăng nhập"),
    ("editorial.two_factor_backup_used", "Dùng mã dự phòng", "Đăng nhập bằng mã dự phòng"),
    ("editorial.two_factor_new_codes", "Tạo mã dự phòng mới", "Tạo mã dự phòng mới"),
    ("editorial.two_factor_disable", "Tắt xác thực hai bước", "Tự tắt xác thực hai bước"),
    ("editorial.two_factor_reset", "Đặt lại xác thực hai bước", "Xoá thiết bị xác thực"),
]


@hooks.register("register_log_actions")
def account_log_actions(actions):
    actions.register_action(
        SUPPORT_LOGIN_ACTION, "Đăng nhập hỗ trợ", "Cán bộ tỉnh đăng nhập hỗ trợ qua liên kết"
    )
    for action, label, message in TWO_FACTOR_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("before_bulk_action")
def refuse_bulk_escalation(request, action_type, objects, action):
    """The users listing's bulk actions follow the rules on who grants rights (``users``)."""
    return users.refuse_bulk_escalation(request, action_type, objects, action)
