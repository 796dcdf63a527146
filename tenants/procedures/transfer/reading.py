"""Reading a catalogue file (JSON, CSV, XLSX, optionally .gz) into raw rows, by line."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
import zlib
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from component_sites.core.spreadsheet import restore

from .columns import (
    FORMATS,
    HEADER_KEYS,
    MAX_BYTES,
    ImportFileError,
)


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
