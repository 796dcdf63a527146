"""Create one member site (schema cloned from its level's template) from the command line."""

from django.core.management.base import BaseCommand, CommandError

from tenants.onboarding import site_base_url
from tenants.provisioning import ProvisioningError, provision_site
from tenants.specs import SiteSpec


class Command(BaseCommand):
    help = (
        "Tạo một trang thành viên: python manage.py create_site --name 'Xã Độc Lập' "
        "--level commune --code 04921 --parent 148 --domain doclap.hoabinh.gov.vn"
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Tên đầy đủ của đơn vị")
        parser.add_argument("--level", required=True, choices=["province", "district", "commune"])
        parser.add_argument("--code", required=True, help="Mã đơn vị hành chính")
        parser.add_argument("--parent", dest="parent_code", help="Mã đơn vị cấp trên")
        parser.add_argument("--domain", required=True, help="Tên miền chính")
        parser.add_argument("--alias", dest="aliases", action="append", default=[])
        parser.add_argument("--schema", dest="schema_name", help="Tên lược đồ (mặc định từ mã)")
        parser.add_argument("--admin-username", default="quantri")
        parser.add_argument("--admin-email", default="")
        parser.add_argument(
            "--admin-password",
            default="",
            help="Mặc định: không đặt mật khẩu, gửi liên kết dùng một lần để đặt mật khẩu",
        )

    def handle(self, *args, **options):
        spec = SiteSpec(
            name=options["name"],
            level=options["level"],
            code=options["code"],
            parent_code=options["parent_code"],
            domain=options["domain"],
            aliases=options["aliases"],
            schema_name=options["schema_name"],
            admin_username=options["admin_username"],
            admin_email=options["admin_email"],
            admin_password=options["admin_password"],
        )
        try:
            result = provision_site(spec)
        except ProvisioningError as exc:
            lines = [f"  - {field}: {msg}" for field, msgs in exc.messages.items() for msg in msgs]
            raise CommandError(
                "Không tạo được trang, không có gì thay đổi:\n" + "\n".join(lines)
            ) from exc
        tenant = result.tenant
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo {tenant.name} (lược đồ {tenant.schema_name})")
        )
        base = site_base_url(tenant)
        self.stdout.write(f"  Địa chỉ: {base}/")
        self.stdout.write(f"  Quản trị: {base}/admin/")
        self.stdout.write(f"  Tài khoản: {result.admin_username}")
        if result.setup_link:
            self.stdout.write(f"  Liên kết đặt mật khẩu (dùng một lần): {result.setup_link}")
