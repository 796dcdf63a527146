"""The one writer of every CSV and XLSX export of the platform (formula injection).

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, tab or carriage return) as a formula: a name such as ``=HYPERLINK(...)`` typed by
an editor or a citizen would become a live formula in the province's file.  Every text cell
written here that starts with one of those characters is prefixed with ``'`` (OWASP), and in
XLSX every text cell is written as an explicit string, never as a formula.

A value that already starts with ``'`` followed by one of those characters gets a second
``'``, so :func:`restore` (used by importers of our own exports) gives back exactly what was
exported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def neutralise(value: Any) -> Any:
    """``value`` safe for a spreadsheet cell (numbers, dates and None are left alone)."""
    if not isinstance(value, str):
        return value
    if value[:1] in FORMULA_STARTS or (
        value[:1] == "'" and value.lstrip("'")[:1] in FORMULA_STARTS
    ):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The exported value back from a cell :func:`neutralise` wrote (for importers)."""
    if (
        isinstance(value, str)
        and value[:1] == "'"
        and value[1:].lstrip("'")[:1] in (FORMULA_STARTS)
    ):
        return value[1:]
    return value


def csv_text(rows: Iterable[Sequence[Any]], *, bom: bool = True) -> str:
    """Rows as CSV text; with a byte-order mark by default (Excel then reads UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    return csv_text(rows, bom=bom).encode("utf-8")


def append_row(sheet, row: Sequence[Any]) -> None:
    """Append ``row`` to an openpyxl sheet (normal or write-only), text as explicit strings."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    if isinstance(sheet, WriteOnlyWorksheet):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        return
    sheet.append([neutralise(value) for value in row])
    if not row:
        return
    for cell, value in zip(sheet[sheet._current_row], row, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"


def set_cell(sheet, coordinate: str, value: Any):
    """``sheet[coordinate] = value``, neutralised and typed as for :func:`append_row`."""
    cell = sheet[coordinate]
    cell.value = neutralise(value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of ``(title, rows)`` sheets, every cell through :func:`append_row`."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for row in rows:
            append_row(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def save_workbook(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
