"""Audit-log actions of the platform console (kept in Wagtail's audit log, public schema)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

CONSOLE_ACTIONS = {
    "tenants.create": (_("Tạo trang"), _("Tạo trang thành viên")),
    "tenants.rename": (_("Đổi tên"), _("Đổi tên trang")),
    "tenants.suspend": (_("Tạm ngừng"), _("Tạm ngừng trang")),
    "tenants.resume": (_("Hoạt động lại"), _("Cho trang hoạt động lại")),
    "tenants.archive": (_("Lưu trữ"), _("Lưu trữ trang (chỉ đọc)")),
    "tenants.unarchive": (_("Bỏ lưu trữ"), _("Bỏ lưu trữ, trang hoạt động lại")),
    "tenants.merge": (_("Sáp nhập"), _("Sáp nhập trang")),
    "tenants.merge_retry": (_("Chạy lại sáp nhập"), _("Chạy lại yêu cầu sáp nhập")),
    "tenants.merge_cancel": (_("Huỷ sáp nhập"), _("Huỷ yêu cầu sáp nhập")),
    "tenants.theme": (_("Đổi giao diện"), _("Đổi giao diện trang")),
    "tenants.domain_add": (_("Thêm tên miền"), _("Thêm tên miền phụ")),
    "tenants.domain_remove": (_("Gỡ tên miền"), _("Gỡ tên miền phụ")),
    "tenants.domain_promote": (_("Đổi tên miền chính"), _("Đặt tên miền chính")),
    "tenants.schemas_migrate": (
        _("Cập nhật lược đồ"),
        _("Cập nhật migration cho các lược đồ còn thiếu"),
    ),
    "tenants.support_login": (_("Đăng nhập hỗ trợ"), _("Mở trang quản trị để hỗ trợ")),
    "scoring.criteria": (_("Lập bộ tiêu chí"), _("Lập phiên bản bộ tiêu chí đánh giá")),
    "scoring.period": (_("Mở kỳ đánh giá"), _("Mở kỳ đánh giá trang thành viên")),
    "scoring.score": (_("Chấm điểm"), _("Thành viên hội đồng chấm điểm trang")),
    "scoring.lock": (_("Khoá kỳ đánh giá"), _("Khoá kỳ đánh giá, chốt kết quả")),
    "scoring.exclude": (_("Loại trang khỏi kỳ"), _("Loại trang khỏi kỳ đánh giá")),
    "scoring.include": (_("Đưa trang trở lại kỳ"), _("Đưa trang trở lại kỳ đánh giá")),
    "scoring.unlock": (_("Mở khoá kỳ đánh giá"), _("Mở khoá kỳ đánh giá")),
    "scoring.publish": (_("Công bố kết quả"), _("Công bố kết quả đánh giá, xếp hạng")),
}


@hooks.register("register_log_actions")
def register_console_actions(actions):
    for action, (label, message) in CONSOLE_ACTIONS.items():
        actions.register_action(action, label, message)


class ResetTwoFactorFormatter(LogFormatter):
    label = _("Đặt lại xác thực hai bước")

    def format_message(self, log_entry):
        username = (log_entry.data or {}).get("username", "")
        return _("Đặt lại xác thực hai bước của tài khoản “%(u)s”") % {"u": username}


@hooks.register("register_log_actions")
def register_reset_two_factor(actions):
    actions.register_action("tenants.reset_2fa")(ResetTwoFactorFormatter)
