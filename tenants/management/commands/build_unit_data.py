"""Regenerate ``tenants/data/units-two-level.json`` and ``units-three-level.json``.

Usage::

    python manage.py build_unit_data [--model two-level|three-level|all] [--wheel-dir DIR]

For each model the pinned wheel of the PyPI package ``vietnam-provinces`` is taken from
``--wheel-dir`` if it is there, otherwise downloaded with ``pip download --no-deps`` into
a temporary directory: 2025.10.1 for the two-level model (since 1 July 2025), 0.6.0 for
the three-level model (before that). The wheel's SHA-256 is checked
(``tenants.units_wheels``), its ``nested-divisions.json`` converted
(``tenants.units_build``), the unit counts checked against the official totals, and only
then are the files written. Nothing touches the
database; Django is needed only to run the command.
"""

from __future__ import annotations

import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.units import DATA_FILES, MODELS
from tenants.units_build import build_document, check_document, count_units, write_document
from tenants.units_wheels import (
    PACKAGE,
    PACKAGE_VERSIONS,
    UnitDataError,
    download_wheel,
    find_wheel,
    read_wheel,
    verify_wheel,
)


class Command(BaseCommand):
    help = (
        "Tạo lại dữ liệu đơn vị hành chính (tenants/data/units-*.json) từ gói "
        f"{PACKAGE} trên PyPI: 2025.10.1 cho mô hình hai cấp, 0.6.0 cho mô hình ba cấp."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--model",
            choices=[*MODELS, "all"],
            default="all",
            help="Mô hình cần tạo (mặc định: all, cả hai)",
        )
        parser.add_argument(
            "--wheel-dir",
            type=Path,
            help="Thư mục đã có sẵn các tệp .whl; thiếu tệp nào thì tải bằng pip",
        )
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="Thư mục ghi tệp JSON (mặc định: tenants/data)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        models = list(MODELS) if options["model"] == "all" else [options["model"]]
        wheel_dir: Path | None = options["wheel_dir"]
        output_dir: Path | None = options["output_dir"]
        if wheel_dir is not None and not wheel_dir.is_dir():
            raise CommandError(f"Thư mục {wheel_dir} không tồn tại.")

        documents: dict[str, dict[str, Any]] = {}
        with tempfile.TemporaryDirectory(prefix="unit-wheels-") as temporary:
            for model in models:
                documents[model] = self._build(model, wheel_dir, Path(temporary))

        # Write only once every requested model has been built and checked.
        for model, document in documents.items():
            path = (output_dir / DATA_FILES[model].name) if output_dir else DATA_FILES[model]
            try:
                size = write_document(document, path)
            except (UnitDataError, OSError) as exc:
                raise CommandError(f"Không ghi được {path}: {exc}") from exc
            counts = count_units(document)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{model}: {counts['province']:,} tỉnh/thành phố, "
                    f"{counts['district']:,} quận/huyện, {counts['commune']:,} xã/phường "
                    f"→ {path} ({size:,} byte)"
                )
            )

    def _build(self, model: str, wheel_dir: Path | None, temporary: Path) -> dict[str, Any]:
        version = PACKAGE_VERSIONS[model]
        try:
            wheel = find_wheel(wheel_dir, version) if wheel_dir is not None else None
            if wheel is None:
                self.stdout.write(f"Đang tải {PACKAGE}=={version} bằng pip…")
                wheel = download_wheel(version, temporary)
            verify_wheel(wheel, version)
            package = read_wheel(wheel)
            if package.version != version:
                raise UnitDataError(
                    f"Tệp {wheel.name} mang phiên bản {package.version}, cần {version}."
                )
            document = build_document(model, package)
        except UnitDataError as exc:
            raise CommandError(f"Không tạo được dữ liệu {model}: {exc}") from exc
        problems = check_document(document)
        if problems:
            raise CommandError(
                f"Dữ liệu {model} ({PACKAGE} {version}) có vẻ sai, không ghi tệp nào:\n"
                + "\n".join(f"  - {problem}" for problem in problems)
            )
        return document
