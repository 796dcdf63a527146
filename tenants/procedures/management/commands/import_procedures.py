"""Import the procedure catalogue from JSON, CSV or XLSX (validated first), or the demo set."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.procedures.transfer import ImportFileError, import_file

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_catalogue.json.gz"


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp JSON/CSV/XLSX. Kiểm tra mọi dòng trước; "
        "có lỗi thì không thay đổi gì (trừ khi dùng --valid-only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Tệp .json, .csv hoặc .xlsx")
        parser.add_argument("--demo", action="store_true", help="Nhập danh mục mẫu kèm theo")
        parser.add_argument(
            "--valid-only", action="store_true", help="Vẫn nhập các dòng hợp lệ khi có dòng lỗi"
        )

    def handle(self, *args, **options):
        path = DEMO_FILE if options["demo"] else options["path"]
        if not path:
            raise CommandError("Cần đường dẫn tệp hoặc --demo.")
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            report = import_file(path.name, path.read_bytes(), valid_only=options["valid_only"])
        except ImportFileError as exc:
            raise CommandError(f"{exc} Không có gì thay đổi.") from exc
        for error in report.errors:
            self.stderr.write(f"dòng {error.line}, cột {error.field_label}: {error.message}")
        if not report.applied:
            raise CommandError(
                f"{len(report.errors)} lỗi ở {len(report.bad_lines)} dòng; không có gì thay đổi."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows} dòng: {len(report.created)} mới, {len(report.updated)} cập nhật, "
                f"{len(report.unchanged)} không đổi, {len(report.bad_lines)} dòng lỗi bỏ qua."
            )
        )
