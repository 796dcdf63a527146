"""Provision a province and all its units from the official list, with a progress bar."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from component_sites.core.spreadsheet import csv_text
from tenants.province import UnitOutcome, provision_province
from tenants.site_templates import ensure_template_schemas, missing_templates
from tenants.units import MODELS, UnknownUnitError


class ProgressBar:
    """One line, redrawn: ``[#####-----]  45/170  Xã Độc Lập``."""

    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width
        self.interactive = stream.isatty()

    def __call__(self, outcome: UnitOutcome, done: int, total: int) -> None:
        filled = int(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        mark = {"created": "+", "skipped": "=", "failed": "!"}[outcome.status]
        line = f"[{bar}] {done:>4}/{total} {mark} {outcome.unit.name}"
        if self.interactive and outcome.status != "failed":
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + (f" — {outcome.message}" if outcome.message else "") + "\n")
        if done == total and self.interactive:
            self.stream.write("\n")
        self.stream.flush()


def write_private_file(path: Path, text: str) -> Path:
    """Write ``text`` to a new file only its owner can read, never over an existing one.

    The links set an admin's password: the file must not be world-readable, and a second run
    must not replace the first run's links (the sites those were for exist). When ``path`` is
    taken, ``-2``, ``-3``… is added before the suffix. Returns the path written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate, number = path, 1
    while True:
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            number += 1
            candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
            continue
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            handle.write(text)
        return candidate


class Command(BaseCommand):
    help = (
        "Tạo trang cho một tỉnh và mọi đơn vị trực thuộc theo danh mục hành chính chính thức; "
        "chạy lại sẽ bỏ qua trang đã có."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="Mã tỉnh (2 chữ số), ví dụ 17")
        parser.add_argument("--model", choices=MODELS, default="two-level")
        parser.add_argument("--suffix", default="gov.vn", help="Đuôi tên miền (demo: localhost)")
        parser.add_argument("--workers", type=int, default=2, help="Số luồng tạo song song")
        parser.add_argument(
            "--units",
            help="Chỉ tạo các đơn vị này (mã, cách nhau bởi dấu phẩy) cùng đơn vị cấp trên",
        )
        parser.add_argument(
            "--links-file",
            help=(
                "Ghi liên kết đặt mật khẩu (dùng một lần) của các trang mới vào tệp CSV này "
                "(mặc định: provision-<mã>-links.csv ở thư mục hiện hành; "
                "tệp đã có không bị ghi đè)"
            ),
        )

    def handle(self, *args, **options):
        if options["workers"] < 1:
            raise CommandError("--workers phải từ 1 trở lên.")
        if missing_templates():
            ensure_template_schemas(report=lambda m: self.stdout.write(m))
        try:
            report = provision_province(
                options["code"],
                options["model"],
                options["suffix"],
                workers=options["workers"],
                progress=ProgressBar(sys.stderr),
                limit_to=(
                    {c.strip() for c in options["units"].split(",") if c.strip()}
                    if options["units"]
                    else None
                ),
            )
        except (UnknownUnitError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        created = [o for o in report.outcomes if o.status == "created"]
        self.stdout.write(
            f"{report.province.name} ({report.model}): {len(report.outcomes)} đơn vị — "
            f"tạo mới {report.count('created')}, đã có {report.count('skipped')}, "
            f"lỗi {report.count('failed')} — {report.seconds:.1f}s"
        )
        for outcome in report.outcomes:
            if outcome.status == "failed":
                self.stderr.write(
                    f"  LỖI {outcome.unit.code} {outcome.unit.name}: {outcome.message}"
                )
        links_file = Path(options["links_file"] or f"provision-{options['code']}-links.csv")
        if created:
            rows = [["ma", "ten", "ten_mien", "tai_khoan", "lien_ket_dat_mat_khau"]]
            rows += [[o.unit.code, o.unit.name, o.domain, "quantri", o.setup_link] for o in created]
            written = write_private_file(links_file, csv_text(rows, bom=False))
            self.stdout.write(
                f"Liên kết đặt mật khẩu của {len(created)} trang mới: {written.resolve()}"
            )
        if report.count("failed"):
            raise CommandError(f"{report.count('failed')} đơn vị không tạo được (xem ở trên).")
