"""Audit-log actions of the procedure catalogue (Wagtail's log, public schema)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

CATALOGUE_ACTIONS = {
    "procedures.create": (_("Thêm thủ tục"), _("Thêm thủ tục vào danh mục")),
    "procedures.update": (_("Sửa thủ tục"), _("Sửa thủ tục (phiên bản mới)")),
    "procedures.withdraw": (_("Thu hồi thủ tục"), _("Thu hồi thủ tục")),
    "procedures.restore": (_("Áp dụng lại thủ tục"), _("Áp dụng lại thủ tục")),
    "procedures.form_add": (_("Thêm biểu mẫu"), _("Thêm biểu mẫu")),
    "procedures.form_remove": (_("Gỡ biểu mẫu"), _("Gỡ biểu mẫu")),
    "procedures.import": (_("Nhập danh mục"), _("Nhập danh mục từ tệp")),
    "procedures.import_retry": (_("Chạy lại lần nhập"), _("Chạy lại lần nhập danh mục")),
    "procedures.import_cancel": (_("Huỷ lần nhập"), _("Huỷ lần nhập danh mục")),
    "procedures.retry": (_("Gửi lại"), _("Gửi lại các bản đồng bộ lỗi")),
}


@hooks.register("register_log_actions")
def register_catalogue_actions(actions):
    for action, (label, message) in CATALOGUE_ACTIONS.items():
        actions.register_action(action, label, message)
