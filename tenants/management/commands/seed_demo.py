"""Create the demo province (real units of Hòa Bình) with one admin account per site."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from component_sites.core.demo import build_demo_content
from tenants.demo import DEMO_PASSWORD, demo_specs
from tenants.models import Tenant
from tenants.provisioning import ProvisioningError, provision_site
from tenants.scoring.demo import seed_scoring_demo


class Command(BaseCommand):
    help = (
        "Tạo tỉnh mẫu (Hòa Bình: 3 huyện, 6 xã) cùng tài khoản quản trị; chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--suffix", default="localhost", help="Đuôi tên miền (mặc định localhost)"
        )
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, **options):
        password = options["password"]
        user_model = get_user_model()
        if not user_model.objects.filter(username="quantri").exists():
            user_model.objects.create_superuser("quantri", "quantri@localhost", password)
            self.stdout.write("Tạo tài khoản quản trị nền tảng: quantri")
        failures = []
        specs = demo_specs(options["suffix"])
        for index, spec in enumerate(specs, start=1):
            if Tenant.objects.filter(code=spec.code).exists():
                self.stdout.write(f"[{index}/{len(specs)}] {spec.name}: đã có, bỏ qua")
                continue
            spec.admin_username = "quantri"
            spec.admin_password = password
            spec.admin_email = f"quantri@{spec.domain}"
            try:
                tenant = provision_site(spec).tenant
            except ProvisioningError as exc:
                failures.append((spec.name, str(exc)))
                self.stderr.write(f"[{index}/{len(specs)}] {spec.name}: LỖI {exc}")
                continue
            made = build_demo_content(tenant)
            summary = ", ".join(f"{number} {kind}" for kind, number in sorted(made.items()))
            self.stdout.write(
                f"[{index}/{len(specs)}] {spec.name}: đã tạo ({spec.domain})"
                + (f"; nội dung mẫu: {summary}" if summary else "")
            )
        if failures:
            raise CommandError(f"{len(failures)} trang không tạo được")
        province = Tenant.objects.filter(code=specs[0].code, level=Tenant.Level.PROVINCE).first()
        if province is not None:
            done = seed_scoring_demo(province, password)
            if done:
                self.stdout.write("Đánh giá, xếp hạng: " + ", ".join(done))
        self.stdout.write(self.style.SUCCESS("Tỉnh mẫu đã sẵn sàng."))
