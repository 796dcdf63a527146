"""Rebuild the demo catalogue's procedure detail from a checkout of the public archive.

The demo catalogue (``tenants/procedures/data/demo_catalogue.json.gz``) lists which
procedures the demo carries (code, name, field, levels).  This command fills each one's
official detail (steps, ways with time and fee, dossier, legal documents, results,
bodies, subjects) from the archived detail pages of the national public service portal
in github.com/chatbot-tthc/chatbot_tthc, read with git at a pinned commit:

    git clone https://github.com/chatbot-tthc/chatbot_tthc /tmp/chatbot_tthc
    python manage.py build_procedure_details --archive /tmp/chatbot_tthc

A bare clone works too.  Run twice, it writes the same file.

The archive has no page for the social protection field (bảo trợ xã hội); those procedures
come from a second source in this repository, ``data/social_protection.json``, whose records
cite the public texts each fact was copied from (``tenants.procedures.cited_catalogue``).
They are appended after the archive's records; ``--cited`` names another such file.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.procedures import cited_catalogue
from tenants.procedures.national_portal import clean, detail_record
from tenants.procedures.transfer import gzip_bytes

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_catalogue.json.gz"
ARCHIVE_REPOSITORY = "https://github.com/chatbot-tthc/chatbot_tthc"
ARCHIVE_COMMIT = "53229487610b07e0d7127f529b87c333f19aeb1e"
RAW_DIR = "scripts/crawler/data/raw"
DETAIL_NOTE = " Nội dung chi tiết lấy từ kho chatbot_tthc (xem detail)."
CITED_NOTE = (
    " Riêng các thủ tục bảo trợ xã hội (kho không có): chép từ các văn bản công khai, trích dẫn"
    " theo từng trường trong tệp nguồn thứ hai (xem sources, trich-dan-bao-tro-xa-hoi)."
)


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("\xa0", " ").split())


class Archive:
    """The archive's files at one commit, read through git (work tree or bare clone)."""

    def __init__(self, path: Path, commit: str) -> None:
        self.path = path
        try:
            self.commit = self._git("rev-parse", "--verify", f"{commit}^{{commit}}").strip()
        except subprocess.CalledProcessError as exc:
            raise CommandError(
                f"{path} không phải bản sao git của kho lưu trữ, hoặc không có commit {commit}."
            ) from exc
        listing = self._git("ls-tree", "-r", "--name-only", self.commit, f"{RAW_DIR}/")
        self.files: dict[str, str] = {}
        for name in listing.splitlines():
            if name.endswith(".json"):
                self.files.setdefault(Path(name).stem, name)

    def _git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(self.path), *args],  # noqa: S607 - git from PATH, by design
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def read(self, code: str) -> tuple[str, dict[str, Any]] | None:
        name = self.files.get(code)
        if name is None:
            return None
        return name, json.loads(self._git("show", f"{self.commit}:{name}"))


class Command(BaseCommand):
    help = (
        "Điền nội dung chi tiết (trình tự, cách thức, hồ sơ, căn cứ pháp lý…) cho danh mục "
        "thủ tục mẫu từ bản lưu trang chi tiết Cổng DVC quốc gia (kho chatbot-tthc/chatbot_tthc)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--archive", required=True, help="Thư mục bản sao git của kho lưu trữ")
        parser.add_argument(
            "--commit", default=ARCHIVE_COMMIT, help="Commit của kho (mặc định: đã ghim)"
        )
        parser.add_argument("--data", default=str(DATA_FILE), help="Tệp danh mục mẫu cần điền")
        parser.add_argument(
            "--cited",
            default=str(cited_catalogue.SOURCE_FILE),
            help="Tệp nguồn thứ hai (thủ tục có trích dẫn, mặc định: bảo trợ xã hội)",
        )
        parser.add_argument(
            "--drop-missing",
            action="store_true",
            help="Bỏ khỏi danh mục các thủ tục không có trong kho (mặc định: báo lỗi)",
        )

    def handle(self, *args, **options):
        archive_path = Path(options["archive"])
        if not archive_path.is_dir():
            raise CommandError(f"Không tìm thấy thư mục {archive_path}.")
        data_path = Path(options["data"])
        try:
            raw = data_path.read_bytes()
            catalogue = json.loads(gzip.decompress(raw) if data_path.suffix == ".gz" else raw)
            records = catalogue["procedures"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Không đọc được danh mục {data_path}: {exc}") from exc
        try:
            cited, extra = cited_catalogue.catalogue_rows(Path(options["cited"]))
        except cited_catalogue.CitedSourceError as exc:
            raise CommandError(f"Nguồn trích dẫn không dùng được: {exc}") from exc
        extra_codes = {row["code"] for row in extra}
        # The cited records are rebuilt from their own file, never looked up in the archive.
        records = [record for record in records if record["code"] not in extra_codes]
        archive = Archive(archive_path, options["commit"])
        self.stdout.write(
            f"Kho {ARCHIVE_REPOSITORY}@{archive.commit[:12]}: {len(archive.files)} tệp."
        )

        built, missing, mismatched = [], [], []
        for number, record in enumerate(records, start=1):
            found = archive.read(record["code"])
            if found is None:
                missing.append(record["code"])
                continue
            path, raw = found
            # The page itself must say this code (the crawler's search may land elsewhere).
            page_text = _nfc(raw.get("raw_text", ""))
            if (
                _nfc(raw.get("ma_thu_tuc", "")) != record["code"]
                or f"Mã thủ tục{record['code']}" not in page_text
            ):
                mismatched.append(record["code"])
                continue
            built.append(self._record(record, path, raw, archive.commit))
            if number % 25 == 0:
                self.stdout.write(f"  {number}/{len(records)}")
        if mismatched:
            raise CommandError(f"Mã không khớp với trang lưu: {', '.join(mismatched)}.")
        if missing and not options["drop_missing"]:
            raise CommandError(
                f"Không có trong kho: {', '.join(missing)} (dùng --drop-missing để bỏ)."
            )
        catalogue["procedures"] = built + extra
        catalogue["about"] = self._about(catalogue.get("about", {}), built, archive.commit)
        catalogue["about"] = self._with_cited(catalogue["about"], cited, extra)
        dropped = sorted({*catalogue["about"].get("dropped", []), *missing})
        if dropped:
            # Codes taken out of the selection because the archive has no page for them.
            catalogue["about"]["dropped"] = dropped
        text = (json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        # Stored compressed (the repository keeps no file over 2 MiB), byte-identical per run.
        data_path.write_bytes(gzip_bytes(text) if data_path.suffix == ".gz" else text)
        levels = catalogue["about"]["levels"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã ghi {len(built) + len(extra)} thủ tục vào {data_path} "
                f"({len(extra)} từ nguồn trích dẫn; cấp tỉnh {levels['province']}, "
                f"cấp huyện {levels['district']}, cấp xã {levels['commune']}); "
                f"bỏ {len(missing)}: {', '.join(missing) or '—'}."
            )
        )

    @staticmethod
    def _record(record: dict, path: str, raw: dict, commit: str) -> dict:
        detail = detail_record(raw)
        out = {key: record[key] for key in ("code", "name", "field", "levels")}
        if record.get("owner"):
            out["owner"] = record["owner"]
        out.update(detail)
        # The national page is where a citizen submits online (it has the "Nộp hồ sơ" button).
        if "online" in detail["methods"] and detail["national_url"]:
            out["online_url"] = detail["national_url"]
        out["source"] = (
            f"Trang chi tiết TTHC trên Cổng DVC quốc gia ({clean(raw.get('detail_url'))}), "
            f"bản thu thập lưu trong github.com/chatbot-tthc/chatbot_tthc@{commit[:12]}/{path}"
        )
        return out

    @staticmethod
    def _with_cited(about: dict, cited: dict, extra: list[dict]) -> dict:
        """Counts over both sources; the cited file named among ``about.sources``."""
        about = dict(about)
        for record in extra:
            for level in record["levels"]:
                about["levels"][level] += 1
        about["verified_records"] += len(extra)
        entry = cited_catalogue.about_entry(cited, extra)
        others = [s for s in about.get("sources", []) if s.get("id") != entry["id"]]
        about["sources"] = [*others, entry] if extra else others
        if extra:
            about["method"] += CITED_NOTE
        return about

    @staticmethod
    def _about(about: dict, records: list[dict], commit: str) -> dict:
        levels = {level: 0 for level in ("province", "district", "commune")}
        for record in records:
            for level in record["levels"]:
                levels[level] += 1
        about = dict(about)
        about["verified_records"] = len(records)
        about["levels"] = levels
        about["detail"] = {
            "repository": ARCHIVE_REPOSITORY,
            "commit": commit,
            "path": f"{RAW_DIR}/<bộ, ngành>/<mã>.json",
            "fields": (
                "trinh_tu_thuc_hien → step_list/steps; cach_thuc_thuc_hien → submission_ways, "
                "methods, processing_time, fees; thanh_phan_ho_so → dossier_items/dossier; "
                "can_cu_phap_ly → legal_documents/legal_basis; ket_qua_xu_ly → result; "
                "yeu_cau_dieu_kien → conditions; doi_tuong_thuc_hien → subjects; "
                "co_quan_thuc_hien → agency; co_quan_co_tham_quyen → competent_body; "
                "loai_thu_tuc → procedure_type; so_quyet_dinh → announcing_decision; "
                "detail_url → national_url (và online_url khi có cách nộp trực tuyến)"
            ),
            "method": " ".join(
                [
                    "Chạy `python manage.py build_procedure_details --archive <bản sao kho>`.",
                    "Các bảng của trang (cách thức, hồ sơ, căn cứ pháp lý) được lưu dạng văn",
                    "bản liền nhau; lệnh chỉ cắt lại theo tiêu đề cột, tên cách nộp, số lượng",
                    "bản và số hiệu văn bản, không thêm nội dung. Thời hạn ghi số không kèm",
                    "đơn vị là đúng như bản lưu. Biểu mẫu: bản lưu chỉ có tên tệp, không có",
                    "tệp; trang thủ tục dẫn tới trang Cổng DVC quốc gia để tải.",
                ]
            ),
        }
        about["method"] = (
            about.get("method", "").split(" Trình tự, hồ sơ, phí")[0].split(DETAIL_NOTE)[0].rstrip()
            + DETAIL_NOTE
        )
        return about
