"""Lifecycle of one site from the command line; every change is audited like the console's."""

from django.core.management.base import BaseCommand, CommandError

from tenants import lifecycle
from tenants.models import Tenant

ACTIONS = {
    "rename": "đổi tên: manage_site rename <mã> --name 'Tên mới'",
    "suspend": "tạm ngừng (503): manage_site suspend <mã> [--notice '...']",
    "resume": "hoạt động lại: manage_site resume <mã>",
    "archive": "lưu trữ, chỉ đọc: manage_site archive <mã> [--notice '...']",
    "unarchive": "bỏ lưu trữ: manage_site unarchive <mã>",
    "add-alias": "thêm tên miền phụ: manage_site add-alias <mã> --domain x.gov.vn",
    "remove-alias": "gỡ tên miền phụ: manage_site remove-alias <mã> --domain x.gov.vn",
    "promote-alias": "đặt tên miền chính: manage_site promote-alias <mã> --domain x.gov.vn",
    "theme": "đổi giao diện: manage_site theme <mã> --theme lam-ngoc",
    "reset-2fa": "đặt lại xác thực hai bước: manage_site reset-2fa <mã> --user quantri",
    "backup": "sao lưu một trang: manage_site backup <mã> [--output THƯ_MỤC]",
    "restore": "phục hồi một trang: manage_site restore <mã> --input TỆP.site.tar",
}


class Command(BaseCommand):
    help = "Vòng đời một trang: " + "; ".join(ACTIONS.values())

    def add_arguments(self, parser):
        parser.add_argument("action", choices=list(ACTIONS))
        parser.add_argument("code", help="Mã đơn vị hành chính của trang")
        parser.add_argument("--name")
        parser.add_argument("--notice", default="")
        parser.add_argument("--domain")
        parser.add_argument("--theme")
        parser.add_argument("--user", help="Tên đăng nhập trong trang (reset-2fa)")
        parser.add_argument("--output", default=".", help="Thư mục ghi tệp sao lưu (backup)")
        parser.add_argument("--input", help="Tệp sao lưu để phục hồi (restore)")

    def handle(self, *args, **options):
        action, code = options["action"], options["code"]
        tenant = Tenant.objects.filter(code=code).first()
        if tenant is None:
            raise CommandError(f"Không có trang nào mang mã “{code}”.")
        needs = {"rename": "name", "add-alias": "domain", "remove-alias": "domain"}
        needs["promote-alias"] = "domain"
        needs["theme"] = "theme"
        needs["reset-2fa"] = "user"
        needs["restore"] = "input"
        if action in needs and not options[needs[action]]:
            raise CommandError(f"Thao tác {action} cần --{needs[action]}.")
        if action in ("backup", "restore"):
            return self.backup_or_restore(action, tenant, options)
        try:
            if action == "rename":
                lifecycle.rename(tenant, options["name"])
            elif action == "suspend":
                lifecycle.suspend(tenant, options["notice"])
            elif action == "resume":
                lifecycle.resume(tenant)
            elif action == "archive":
                lifecycle.archive(tenant, options["notice"])
            elif action == "unarchive":
                lifecycle.unarchive(tenant)
            elif action == "add-alias":
                lifecycle.add_alias(tenant, options["domain"])
            elif action == "remove-alias":
                lifecycle.remove_alias(tenant, options["domain"])
            elif action == "theme":
                lifecycle.set_theme(tenant, options["theme"])
            elif action == "reset-2fa":
                removed = lifecycle.reset_two_factor(tenant, options["user"])
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{tenant.name}: đã xoá {removed} thiết bị xác thực của "
                        f"{options['user']}; lần đăng nhập tới sẽ phải đăng ký lại nếu là "
                        "quản trị trang."
                    )
                )
                return
            else:
                lifecycle.promote_alias(tenant, options["domain"])
        except lifecycle.LifecycleError as exc:
            raise CommandError(f"{exc} Không có gì thay đổi.") from exc
        tenant.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"{tenant.name}: {tenant.get_status_display()}, tên miền chính "
                f"{tenant.primary_domain}"
            )
        )

    def backup_or_restore(self, action, tenant, options):
        from tenants.backup import BackupError, backup_site, restore_site

        try:
            if action == "backup":
                result = backup_site(tenant, options["output"])
                counts = result.manifest["counts"]
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{tenant.name}: đã sao lưu vào {result.path} ({counts['pages']} trang, "
                        f"{counts['images']} ảnh, {counts['documents']} tài liệu, "
                        f"{counts['media_files']} tệp)"
                    )
                )
            else:
                manifest = restore_site(tenant, options["input"])
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{tenant.name}: đã phục hồi bản sao lưu lúc {manifest['created_at']}"
                    )
                )
        except BackupError as exc:
            raise CommandError(f"{exc} Không có gì thay đổi.") from exc
