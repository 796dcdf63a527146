"""Merge sites from the command line: the same operation, checks and audit as the console."""

from django.core.management.base import BaseCommand, CommandError

from tenants.lifecycle import LifecycleError
from tenants.merging import merge_now
from tenants.models import SiteMerge, Tenant


class Command(BaseCommand):
    help = (
        "Sáp nhập các trang vào một trang còn lại: merge_sites --into <mã> <mã> [<mã> ...]. "
        "Nội dung chuyển thành nhánh riêng, tên miền cũ chuyển hướng 301, trang cũ được lưu trữ."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", help="Mã các trang được sáp nhập")
        parser.add_argument("--into", required=True, help="Mã trang còn lại")

    def handle(self, *args, **options):
        codes = [options["into"], *options["codes"]]
        found = {t.code: t for t in Tenant.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise CommandError("Không có trang nào mang mã: " + ", ".join(missing))
        survivor = found[options["into"]]
        absorbed = [found[code] for code in options["codes"]]
        try:
            merge = merge_now(survivor, absorbed, progress=lambda m: self.stdout.write(f"  {m}"))
        except LifecycleError as exc:
            raise CommandError(f"{exc} Không có gì thay đổi.") from exc
        if merge.state != SiteMerge.State.DONE:
            raise CommandError(f"Sáp nhập không thành công, không có gì thay đổi: {merge.error}")
        for code, outcome in merge.result.items():
            self.stdout.write(
                f"{found[code].name}: {outcome['pages']} trang, {outcome['images']} ảnh, "
                f"{outcome['documents']} tệp → {survivor.name} {outcome['branch_path']}"
            )
        self.stdout.write(self.style.SUCCESS(f"Đã sáp nhập vào {survivor.name}."))
