"""Create the demo province with one admin account per site (idempotent).

Two-level by default: Tỉnh Phú Thọ, seven communes and wards, and the 2025 reform (the
former portals of a district and two communes merged into the new Xã Lương Sơn, their
old URLs answering 301).  ``--model three-level``: Tỉnh Hoà Bình, districts, communes.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tenants.demo import DEFAULT_MODEL, DEMO_PASSWORD, demo_specs, reform_demo
from tenants.demo_build import build_reform, provision_demo_sites
from tenants.models import SiteMerge, Tenant
from tenants.provisioning import ProvisioningError
from tenants.scoring.demo import seed_scoring_demo
from tenants.units import MODELS


class Command(BaseCommand):
    help = (
        "Tạo tỉnh mẫu (mặc định mô hình hai cấp: Tỉnh Phú Thọ, 7 xã/phường và việc sáp nhập "
        "năm 2025; --model three-level: Tỉnh Hoà Bình 3 huyện, 6 xã) cùng tài khoản quản trị; "
        "chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--suffix", default="localhost", help="Đuôi tên miền (mặc định localhost)"
        )
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument(
            "--model",
            default=DEFAULT_MODEL,
            choices=MODELS,
            help="Mô hình chính quyền địa phương của tỉnh mẫu (mặc định two-level)",
        )

    def handle(self, *args, **options):
        password = options["password"]
        model = options["model"]
        user_model = get_user_model()
        admin = user_model.objects.filter(username="quantri").first()
        if admin is None:
            admin = user_model.objects.create_superuser("quantri", "quantri@localhost", password)
            self.stdout.write("Tạo tài khoản quản trị nền tảng: quantri")
        specs = demo_specs(options["suffix"], model)
        reform = reform_demo(options["suffix"]) if model == "two-level" else None
        self._refuse_other_model(specs)
        failures = provision_demo_sites(specs, password, self.stdout.write)
        if failures:
            raise CommandError(f"{len(failures)} trang không tạo được")
        if reform is not None:
            try:
                merge = build_reform(reform, password, admin, self.stdout.write)
            except ProvisioningError as exc:
                raise CommandError(f"Không tạo được cổng cũ của tỉnh mẫu: {exc}") from exc
            if merge is not None and merge.state != SiteMerge.State.DONE:
                raise CommandError(f"Sáp nhập mẫu không thành công: {merge.error}")
        province = Tenant.objects.filter(code=specs[0].code, level=Tenant.Level.PROVINCE).first()
        if province is not None:
            done = seed_scoring_demo(province, password)
            if done:
                self.stdout.write("Đánh giá, xếp hạng: " + ", ".join(done))
        self.stdout.write(self.style.SUCCESS("Tỉnh mẫu đã sẵn sàng."))

    def _refuse_other_model(self, specs) -> None:
        """A database holding the other model's demo would mix two provinces' codes."""
        clash = (
            Tenant.objects.filter(code__in=[spec.code for spec in specs])
            .exclude(unit_model=specs[0].unit_model)
            .first()
        )
        if clash is not None:
            raise CommandError(
                f"Cơ sở dữ liệu đã có trang “{clash.name}” (mã {clash.code}) của mô hình "
                f"{clash.unit_model}; tỉnh mẫu {specs[0].unit_model} cần một cơ sở dữ liệu "
                "riêng (make clean-data rồi chạy lại). Không có gì thay đổi."
            )
