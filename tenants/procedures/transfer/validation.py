"""Import and export of the master catalogue as JSON, CSV and XLSX.

An import reads the whole file, validates every row with the console's form and
reports every problem (line, field, reason, in Vietnamese) before anything is written.
With errors, nothing changes unless the admin asks to import the valid rows only; the
rows are then written in one transaction and syndicated with one fan-out.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.spreadsheet import csv_bytes, restore, xlsx_bytes
from tenants.procedures.forms import DETAIL_LIST_FIELDS, ProcedureEditForm
from tenants.procedures.models import Level, Method, OnlineLevel, Procedure
from tenants.procedures.services import audit_procedure
from tenants.procedures.syndication import queue_fan_out, record_version, snapshot

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


# --- reading -------------------------------------------------------------------------


def gunzip(content: bytes) -> bytes:
    """The content of a gzip file, at most MAX_BYTES of it; ImportFileError if it is not one."""
    reader = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = reader.decompress(content, MAX_BYTES + 1)
    except zlib.error as exc:
        raise ImportFileError(_("Tệp .gz bị hỏng hoặc không phải tệp nén gzip.")) from exc
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Tệp lớn hơn 20 MB."))
    if not reader.eof:
        raise ImportFileError(_("Tệp .gz bị hỏng hoặc không phải tệp nén gzip."))
    return data


def gzip_bytes(content: bytes) -> bytes:
    """``content`` gzip-compressed, the same bytes every time (no name, no date inside)."""
    return gzip.compress(content, compresslevel=9, mtime=0)


def detect_format(filename: str) -> str:
    if filename.lower().endswith(".gz"):
        filename = filename[:-3]
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise ImportFileError(
            _(
                "Không nhận dạng được định dạng tệp “%(name)s”: "
                "chỉ nhận .json, .csv hoặc .xlsx (có thể nén .gz)."
            )
            % {"name": filename}
        )
    return suffix


def read_rows(content: bytes, fmt: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, raw row) for every record of the file; ImportFileError if unreadable."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("Tệp lớn hơn 20 MB."))
    if not content.strip():
        raise ImportFileError(_("Tệp rỗng."))
    if fmt == "json":
        return _read_json(content)
    if fmt == "csv":
        return _read_csv(content)
    return _read_xlsx(content)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Tệp không phải văn bản UTF-8 (lỗi ở byte %(pos)d).") % {"pos": exc.start}
        ) from exc


def _read_json(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(_decode(content))
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            _("Tệp JSON không hợp lệ ở dòng %(line)d, cột %(col)d.")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc
    if isinstance(data, dict):
        data = data.get("procedures")
    if not isinstance(data, list):
        raise ImportFileError(
            _("Tệp JSON phải là một danh sách thủ tục, hoặc một đối tượng có khóa “procedures”.")
        )
    rows = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ImportFileError(
                _("Mục thứ %(n)d của tệp JSON không phải một đối tượng.") % {"n": index}
            )
        rows.append((index, item))
    return rows


def _keyed(headers: Iterable[Any]) -> list[str | None]:
    keys = []
    for header in headers:
        text = str(header or "").strip()
        keys.append(HEADER_KEYS.get(text) or HEADER_KEYS.get(text.lower()))
    if "code" not in keys:
        raise ImportFileError(_("Dòng tiêu đề thiếu cột “code” (Mã thủ tục)."))
    return keys


def _read_csv(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    text = _decode(content)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            raise ImportFileError(_("Tệp rỗng."))
        keys = _keyed(header)
        rows = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            # Our own exports neutralise formulas with a leading "'": take it off again.
            values = {k: restore(v) for k, v in zip(keys, row, strict=False) if k is not None}
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise ImportFileError(_("Tệp CSV không đọc được: %(err)s") % {"err": exc}) from exc
    return rows


def _read_xlsx(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("Tệp XLSX không đọc được (không phải bảng tính Excel).")) from exc
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None)
    if header is None:
        raise ImportFileError(_("Tệp rỗng."))
    keys = _keyed(header)
    rows = []
    for number, row in enumerate(lines, start=2):
        if not any(cell not in (None, "") for cell in row):
            continue
        values = {
            k: ("" if v is None else restore(v))
            for k, v in zip(keys, row, strict=False)
            if k is not None
        }
        rows.append((number, values))
    book.close()
    return rows


# --- validating and applying ---------------------------------------------------------


def _code_of(raw: dict[str, Any]) -> str:
    value = raw.get("code")
    return value.strip() if isinstance(value, str) else str(value or "").strip()


def _as_list(value: Any, choices, field_name: str) -> tuple[list[str], str | None]:
    """``"commune; Cấp huyện"`` or ``["commune"]`` → ``["commune", "district"]``."""
    if value in (None, ""):
        return [], None
    parts = value if isinstance(value, list) else str(value).replace(",", ";").split(";")
    by_label = {str(label).lower(): key for key, label in choices.choices}
    out = []
    for part in parts:
        text = str(part).strip()
        if not text:
            continue
        key = text if text in choices.values else by_label.get(text.lower())
        if key is None:
            return [], _("Giá trị “%(v)s” không hợp lệ; dùng một trong: %(ok)s.") % {
                "v": text,
                "ok": ", ".join(choices.values),
            }
        out.append(key)
    return out, None


def _json_type_problem(key: str, value: Any) -> str | None:
    """Why a JSON value of the wrong type cannot stand for ``key`` (None when it can).

    A JSON file says what type each value is: text fields take a string (or null when
    the field is optional), list fields a string or a list of strings.  Anything else is
    refused by line and field instead of being stored as its Python spelling.
    """
    kinds = {bool: _("đúng/sai"), int: _("số"), float: _("số"), dict: _("đối tượng")}
    if value is None or isinstance(value, str):
        return None
    if key in JSON_COLUMNS:
        if isinstance(value, list):
            return None
        kind = kinds.get(type(value), type(value))
        return _("Giá trị kiểu %(kind)s không hợp lệ; cần một danh sách.") % {"kind": kind}
    if key in LIST_COLUMNS and isinstance(value, list):
        for item in value:
            if not isinstance(item, str):
                return _(
                    "Danh sách chỉ được chứa văn bản; có một giá trị kiểu %(kind)s (%(v)s)."
                ) % {"kind": kinds.get(type(item), _("danh sách")), "v": json.dumps(item)[:60]}
        return None
    kind = _("danh sách") if isinstance(value, list) else kinds.get(type(value), type(value))
    expected = _("văn bản hoặc danh sách văn bản") if key in LIST_COLUMNS else _("văn bản")
    return _("Giá trị kiểu %(kind)s (%(v)s) không hợp lệ; cần %(expected)s.") % {
        "kind": kind,
        "v": json.dumps(value, ensure_ascii=False)[:60],
        "expected": expected,
    }


def _form_data(
    raw: dict[str, Any], existing: Procedure | None, *, typed: bool = False
) -> tuple[dict, list[RowError]]:
    """Form data of one row; ``typed`` (JSON) refuses values of the wrong JSON type."""
    errors: list[RowError] = []
    data: dict[str, Any] = {}
    if existing is not None:
        current = snapshot(existing)
        data.update({k: v for k, v in current.items() if k in COLUMNS})
        data["owner"] = existing.owner.code if existing.owner_id else ""
        data["source"] = existing.source
    for key, value in raw.items():
        if key in EXPORT_ONLY or key not in COLUMNS:
            continue
        problem = _json_type_problem(key, value) if typed else None
        if problem:
            errors.append(RowError(0, key, problem))
            data[key] = ""
        elif key in LIST_COLUMNS:
            parsed, problem = _as_list(value, LIST_COLUMNS[key], key)
            if problem:
                errors.append(RowError(0, key, problem))
            data[key] = parsed
        elif key in JSON_COLUMNS:
            data[key] = value if isinstance(value, list) else ("" if value is None else str(value))
        else:
            data[key] = "" if value is None else str(value).strip()
    for key in JSON_COLUMNS:
        # The form field reads JSON text (a bound form re-reads its data as text).
        if isinstance(data.get(key), list):
            data[key] = json.dumps(data[key], ensure_ascii=False)
    level = data.get("online_service_level", "")
    if level and level not in OnlineLevel.values:
        by_label = {str(lbl).lower(): k for k, lbl in OnlineLevel.choices}
        data["online_service_level"] = by_label.get(str(level).lower(), level)
    return data, errors


def _status_of(raw: dict[str, Any]) -> tuple[str | None, str | None]:
    value = str(raw.get("status") or "").strip()
    if not value:
        return None, None
    by_label = {str(lbl).lower(): k for k, lbl in Procedure.Status.choices}
    key = value if value in Procedure.Status.values else by_label.get(value.lower())
    if key is None:
        return None, _("Tình trạng “%(v)s” không hợp lệ; dùng active hoặc withdrawn.") % {
            "v": value
        }
    return key, None


def validate(
    rows: list[tuple[int, dict[str, Any]]],
    *,
    typed: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ImportReport, list]:
    """Check every row; returns the report and the (line, form, status) of valid rows.

    ``typed``: the rows come from JSON, whose values must have the type of their field.
    ``progress(done, total)`` is called every 500 rows.
    """
    report = ImportReport(rows=len(rows))
    codes = [_code_of(raw) for _line, raw in rows]
    existing = {p.code: p for p in Procedure.objects.filter(code__in=codes).select_related("owner")}
    seen: dict[str, int] = {}
    valid = []
    for number, (line, raw) in enumerate(rows, start=1):
        if progress and number % 500 == 0:
            progress(number, len(rows))
        code = _code_of(raw)
        row_errors: list[RowError] = []
        if code and code in seen:
            row_errors.append(
                RowError(
                    line,
                    "code",
                    _("Mã thủ tục %(code)s trùng với dòng %(other)d.")
                    % {"code": code, "other": seen[code]},
                )
            )
        elif code:
            seen[code] = line
        instance = existing.get(code)
        data, problems = _form_data(raw, instance, typed=typed)
        row_errors += [RowError(line, e.field, e.message) for e in problems]
        status, problem = _status_of(raw)
        if problem and "status" not in {e.field for e in problems}:  # not twice
            row_errors.append(RowError(line, "status", problem))
        form = ProcedureEditForm(data=data, instance=instance or Procedure())
        if not form.is_valid():
            for name, messages in form.errors.items():
                if name in {e.field for e in problems}:
                    continue
                for message in messages:
                    row_errors.append(RowError(line, name if name != "__all__" else "", message))
        if row_errors:
            report.errors.extend(row_errors)
        else:
            valid.append((line, form, status))
    return report, valid


def import_rows(
    rows: list[tuple[int, dict[str, Any]]],
    *,
    valid_only: bool = False,
    user=None,
    typed: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Validate, then (if clean, or ``valid_only``) write every valid row in one transaction.

    ``progress(message)`` hears how far validation and writing have gone (the worker's
    status page shows it).
    """
    say = progress or (lambda _message: None)
    with schema_context(get_public_schema_name()):
        report, valid = validate(
            rows,
            typed=typed,
            progress=lambda done, total: say(
                _("Kiểm tra: %(done)d/%(total)d dòng") % {"done": done, "total": total}
            ),
        )
        say(_("Kiểm tra xong: %(n)d dòng, %(e)d lỗi") % {"n": len(rows), "e": len(report.errors)})
        if report.errors and not valid_only:
            return report
        changed: list[int] = []
        with transaction.atomic():
            for number, (_line, form, status) in enumerate(valid, start=1):
                if number % 200 == 0:
                    say(
                        _("Ghi: %(done)d/%(total)d thủ tục") % {"done": number, "total": len(valid)}
                    )
                creating = form.instance.pk is None
                before = None if creating else snapshot(form.instance)
                procedure = form.save(commit=False)
                if status:
                    procedure.status = status
                procedure.save()
                version = record_version(procedure, user, queue=False)
                if version is None:
                    report.unchanged.append(procedure.code)
                    continue
                changed.append(procedure.pk)
                (report.created if creating else report.updated).append(procedure.code)
                audit_procedure(
                    procedure,
                    "procedures.create" if creating else "procedures.update",
                    user,
                    before,
                    imported=True,
                )
            if changed:
                transaction.on_commit(lambda: queue_fan_out(changed))
        report.applied = True
    return report


def import_file(
    name: str,
    content: bytes,
    *,
    valid_only: bool = False,
    user=None,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Read, validate and (maybe) import one uploaded file; ImportFileError if unreadable."""
    fmt = detect_format(name)
    if name.lower().endswith(".gz"):
        content = gunzip(content)
    return import_rows(
        read_rows(content, fmt),
        valid_only=valid_only,
        user=user,
        typed=fmt == "json",
        progress=progress,
    )


# --- export --------------------------------------------------------------------------


def export_records(queryset=None) -> list[dict[str, Any]]:
    queryset = queryset if queryset is not None else Procedure.objects.all()
    records = []
    for procedure in queryset.select_related("owner").order_by("code"):
        record = {key: getattr(procedure, key) for key in COLUMNS if key != "owner"}
        record["owner"] = procedure.owner.code if procedure.owner_id else ""
        record["levels"] = list(procedure.levels)
        record["methods"] = list(procedure.methods)
        records.append({key: record[key] for key in COLUMNS})
    return records


# Columns whose stored keys are written as their Vietnamese labels in CSV/XLSX.
LABELLED = {
    "levels": Level,
    "methods": Method,
    "status": Procedure.Status,
    "online_service_level": OnlineLevel,
}


def _in_words(key: str, value: Any) -> Any:
    """``["commune"]`` → ``["Cấp xã"]``, ``"active"`` → ``"Đang áp dụng"`` (import reads both)."""
    choices = LABELLED.get(key)
    if choices is None:
        return value
    labels = {k: str(label) for k, label in choices.choices}
    if isinstance(value, list):
        return [labels.get(v, v) for v in value]
    return labels.get(value, value)


def _flat(value: Any, key: str = "") -> Any:
    if key in JSON_COLUMNS:
        return json.dumps(value or [], ensure_ascii=False)
    return "; ".join(value) if isinstance(value, list) else value


def export_bytes(fmt: str, queryset=None) -> bytes:
    """The catalogue as ``fmt`` (json, csv, xlsx); re-importing it changes nothing."""
    records = export_records(queryset)
    if fmt == "json":
        return json.dumps({"procedures": records}, ensure_ascii=False, indent=2).encode("utf-8")
    # The shared writer neutralises formulas; the importer above takes the prefix off.
    table = [
        list(COLUMNS.values()),
        *([_flat(_in_words(key, record[key]), key) for key in COLUMNS] for record in records),
    ]
    if fmt == "csv":
        return csv_bytes(table)
    if fmt == "xlsx":
        return xlsx_bytes([("thu-tuc", table)])
    raise ValueError(fmt)
