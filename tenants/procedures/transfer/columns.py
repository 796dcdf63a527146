"""The catalogue file's columns (keys and Vietnamese headers) and what an import reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from tenants.procedures.forms import DETAIL_LIST_FIELDS
from tenants.procedures.models import Level, Method

MAX_BYTES = 20 * 1024 * 1024


FORMATS = ("json", "csv", "xlsx")


# Column key → Vietnamese header (both are accepted on import; JSON export writes the keys,
# CSV/XLSX the Vietnamese headers and labels, for people to read in a spreadsheet).
COLUMNS: dict[str, str] = {
    "code": "Mã thủ tục",
    "name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "levels": "Cấp thực hiện",
    "owner": "Thủ tục riêng của đơn vị",
    "procedure_type": "Loại thủ tục",
    "steps": "Trình tự thực hiện",
    "methods": "Cách thức thực hiện",
    "dossier": "Thành phần hồ sơ",
    "processing_time": "Thời hạn giải quyết",
    "fees": "Phí, lệ phí",
    "agency": "Cơ quan thực hiện",
    "result": "Kết quả thực hiện",
    "conditions": "Yêu cầu, điều kiện",
    "legal_basis": "Căn cứ pháp lý",
    "online_service_level": "Mức độ dịch vụ công trực tuyến",
    "online_url": "Địa chỉ dịch vụ công trực tuyến",
    "announcing_decision": "Quyết định công bố",
    "subjects": "Đối tượng thực hiện",
    "competent_body": "Cơ quan có thẩm quyền",
    "national_url": "Trang thủ tục trên Cổng DVC quốc gia",
    "step_list": "Các bước thực hiện (JSON)",
    "submission_ways": "Cách thức nộp, thời hạn, phí (JSON)",
    "dossier_items": "Giấy tờ trong hồ sơ (JSON)",
    "legal_documents": "Văn bản căn cứ pháp lý (JSON)",
    "status": "Tình trạng",
    "source": "Nguồn dữ liệu",
    "version": "Phiên bản",
}


EXPORT_ONLY = {"version"}


LIST_COLUMNS = {"levels": Level, "methods": Method}


# Structured detail: a JSON list in a JSON file, the same list as JSON text in a CSV/XLSX cell.
JSON_COLUMNS = set(DETAIL_LIST_FIELDS)


HEADER_KEYS = {
    **{key: key for key in COLUMNS},
    **{label.lower(): key for key, label in COLUMNS.items()},
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, structure)."""


@dataclass
class RowError:
    line: int
    field: str
    message: str

    @property
    def field_label(self) -> str:
        return COLUMNS.get(self.field, self.field or "—")


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def bad_lines(self) -> set[int]:
        return {e.line for e in self.errors}
