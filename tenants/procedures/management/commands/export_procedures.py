"""Export the procedure catalogue as JSON, CSV or XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand

from tenants.procedures.transfer import FORMATS, export_bytes


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục hành chính ra tệp JSON, CSV hoặc XLSX."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp đích; định dạng theo đuôi tệp nếu không có --format")
        parser.add_argument("--format", choices=FORMATS)

    def handle(self, *args, **options):
        path = Path(options["path"])
        fmt = options["format"] or path.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            fmt = "json"
        path.write_bytes(export_bytes(fmt))
        self.stdout.write(self.style.SUCCESS(f"Đã xuất {path} ({fmt})."))
