"""Create the demo province with one admin account per site (idempotent).

Two-level by default: Tỉnh Phú Thọ, seven communes and wards, and the 2025 reform (the
former portals of a district and two communes merged into the new Xã Lương Sơn, their
old URLs answering 301).  ``--model three-level``: Tỉnh Hoà Bình, districts, communes.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from component_sites.core.demo import build_demo_content
from tenants.demo import DEFAULT_MODEL, DEMO_PASSWORD, demo_specs, reform_demo
from tenants.merging import merge_now
from tenants.models import SiteMerge, Tenant
from tenants.provisioning import ProvisioningError, provision_site
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
        failures = []
        self._provision(specs, password, failures)
        if reform is not None:
            # The former portals, as they stood before the merge, with content of their own.
            pending = [
                spec
                for spec in reform.former
                if not Tenant.objects.filter(code=spec.code, merged_into__isnull=False).exists()
            ]
            self._provision(pending, password, failures)
        if failures:
            raise CommandError(f"{len(failures)} trang không tạo được")
        if reform is not None:
            self._merge_reform(reform, admin)
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

    def _provision(self, specs, password: str, failures: list) -> None:
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

    def _merge_reform(self, reform, admin) -> None:
        survivor = Tenant.objects.get(code=reform.into)
        absorbed = list(
            Tenant.objects.filter(
                code__in=[spec.code for spec in reform.former], merged_into__isnull=True
            )
        )
        if not absorbed:
            return
        self.stdout.write(
            f"Sáp nhập (năm 2025) {', '.join(site.name for site in absorbed)} → {survivor.name}…"
        )
        merge = merge_now(survivor, absorbed, user=admin)
        if merge.state != SiteMerge.State.DONE:
            raise CommandError(f"Sáp nhập mẫu không thành công: {merge.error}")
        for code, outcome in merge.result.items():
            self.stdout.write(
                f"  {code}: {outcome['pages']} trang, {outcome['images']} ảnh, "
                f"{outcome['documents']} tệp → {outcome['branch_path']}"
            )
