"""Create the demo province (real units of Hòa Bình) with one admin account per site."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tenants.models import Tenant
from tenants.provisioning import ProvisioningError, SiteSpec, provision_site

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_province.json"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - development demo only, printed to the console


TYPE_PREFIXES = {"Phường": "phuong", "Thị trấn": "tt", "Xã": "xa", "Thành phố": "tp", "Huyện": "h"}


def _type_prefix(name: str) -> str:
    for word, prefix in TYPE_PREFIXES.items():
        if name.startswith(word + " "):
            return prefix
    return "dv"


def demo_specs(suffix: str = "localhost") -> list[SiteSpec]:
    """Province → districts → communes, with domains on the national scheme under ``suffix``.

    A unit's host is ``<slug>.<province>.<suffix>``; when two units share a slug the
    later one gets its type as a prefix (``ttluongson`` for Thị trấn Lương Sơn).
    """
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))["province"]
    province_host = f"{data['slug']}.{suffix}"
    used = {data["slug"]}

    def host_for(unit: dict) -> str:
        label = unit["slug"]
        if label in used:
            label = _type_prefix(unit["name"]) + label
        used.add(label)
        return f"{label}.{province_host}"

    specs = [
        SiteSpec(
            name=data["name"],
            level="province",
            code=data["code"],
            domain=province_host,
            aliases=[f"www.{province_host}"],
        )
    ]
    for district in data["districts"]:
        specs.append(
            SiteSpec(
                name=district["name"],
                level="district",
                code=district["code"],
                parent_code=data["code"],
                domain=host_for(district),
            )
        )
    for district in data["districts"]:
        for commune in district["communes"]:
            specs.append(
                SiteSpec(
                    name=commune["name"],
                    level="commune",
                    code=commune["code"],
                    parent_code=district["code"],
                    domain=host_for(commune),
                )
            )
    return specs


class Command(BaseCommand):
    help = "Tạo tỉnh mẫu (Hòa Bình: 3 huyện, 6 xã) cùng tài khoản quản trị; chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--suffix", default="localhost", help="Đuôi tên miền (mặc định localhost)")
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
                provision_site(spec)
            except ProvisioningError as exc:
                failures.append((spec.name, str(exc)))
                self.stderr.write(f"[{index}/{len(specs)}] {spec.name}: LỖI {exc}")
                continue
            self.stdout.write(f"[{index}/{len(specs)}] {spec.name}: đã tạo ({spec.domain})")
        if failures:
            raise CommandError(f"{len(failures)} trang không tạo được")
        self.stdout.write(self.style.SUCCESS("Tỉnh mẫu đã sẵn sàng."))
