"""Remove a console account's two-factor devices (lost phone); audited in the console's log."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from component_sites.accounts.two_factor import reset_devices


class Command(BaseCommand):
    help = (
        "Đặt lại xác thực hai bước của một tài khoản trang quản trị nền tảng (mất điện thoại): "
        "reset_console_2fa <tên đăng nhập>; lần đăng nhập tới tài khoản phải đăng ký lại."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Tên đăng nhập trong trang quản trị nền tảng")

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        username = (options["username"] or "").strip()
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            raise CommandError(
                f"Trang quản trị nền tảng không có tài khoản “{username}”. Không có gì thay đổi."
            )
        removed = reset_devices(account, reason="reset_console_2fa")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã xoá {removed} thiết bị xác thực của {username}; lần đăng nhập tới tài "
                "khoản sẽ phải đăng ký lại."
            )
        )
