"""A period's results as a spreadsheet (XLSX): a sheet per level (the ranking: rank, site,
total, every criterion's score), a sheet per criterion (its ranking), and the criteria.

An open period is computed now and marked "Kết quả tạm tính"; a locked or published one is
read from its frozen results.  Only scores are exported: council members' comments and
self-assessments stay internal.
"""

from __future__ import annotations

import io

from component_sites.core.spreadsheet import append_row, set_cell

from .export_text import criterion_heading, period_dates, status_line
from .models import Period
from .results import format_number, period_results

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(value) -> str:
    """Text for a cell; the shared writer (``core.spreadsheet.append_row``) neutralises
    formulas (``=``, ``+``, ``-``, ``@``, tab, carriage return) as every export does."""
    return "" if value is None else str(value)


def _sheet_title(text: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters, unique."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in text).strip().strip("'")
    title = cleaned[:31].rstrip() or "Trang"
    number = 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title = cleaned[: 31 - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(title.lower())
    return title


def results_xlsx(period: Period) -> bytes:
    """A workbook: a sheet per level (ranking), a sheet per criterion, the criteria."""
    # Loaded when a workbook is asked for, not by every process that loads the URLs.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    results = period_results(period)
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EFEAE4")
    title = _text(f"{results.title} – {results.province_name}")
    subtitle = _text(f"Từ {period_dates(period)}. {status_line(results)}")

    def new_sheet(name: str, header: list[str], widths: list[int]):
        sheet = book.create_sheet(_sheet_title(name, taken))
        append_row(sheet, [title])
        sheet["A1"].font = Font(bold=True, size=13)
        append_row(sheet, [subtitle])
        if results.provisional:
            sheet["A2"].font = Font(bold=True, color="A3111A")
        append_row(sheet, [])
        append_row(sheet, header)
        for cell in sheet[4]:
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A5"
        return sheet

    criteria = results.criteria
    for group in results.levels:
        sheet = new_sheet(
            group.label,
            [
                "Hạng",
                "Trang",
                "Mã đơn vị",
                "Tổng điểm (thang 100)",
                *[_text(criterion_heading(c)) for c in criteria],
            ],
            [8, 40, 11, 12, *[16] * len(criteria)],
        )
        for row in group.rows:
            append_row(
                sheet,
                [
                    row.rank,
                    _text(row.name),
                    _text(row.site_code),
                    row.total,
                    *[row.scores.get(c.code) for c in criteria],
                ],
            )
        for line in sheet.iter_rows(min_row=5, min_col=4):
            for cell in line:
                cell.number_format = "0.00"
        if group.level != "province":
            append_row(sheet, [])
            append_row(sheet, [f"Số trang được xếp hạng: {group.count}."])
    for criterion in criteria:
        sheet = new_sheet(
            f"{criterion.short} {criterion.name}",
            ["Cấp", "Hạng", "Trang", _text(f"Điểm (tối đa {format_number(criterion.max_score)})")],
            [12, 8, 40, 14],
        )
        set_cell(sheet, "A3", criterion_heading(criterion))
        sheet["A3"].font = bold
        for group in results.by_criterion(criterion.code):
            if group.level == "province":  # ranked among peers only
                continue
            for row in group.rows:
                append_row(
                    sheet,
                    [
                        group.label,
                        row.ranks.get(criterion.code),
                        _text(row.name),
                        row.scores.get(criterion.code),
                    ],
                )
        for line in sheet.iter_rows(min_row=5, min_col=4, max_col=4):
            for cell in line:
                cell.number_format = "0.00"
    sheet = new_sheet(
        "Tiêu chí",
        ["Ký hiệu", "Mã", "Tiêu chí", "Cách chấm", "Trọng số (%)", "Điểm tối đa", "Hướng dẫn"],
        [9, 14, 36, 22, 12, 12, 60],
    )
    for c in criteria:
        append_row(
            sheet,
            [
                c.short,
                _text(c.code),
                _text(c.name),
                c.kind_label,
                c.weight,
                c.max_score,
                _text(c.description),
            ],
        )
    append_row(sheet, [])
    append_row(
        sheet, ["Tổng điểm = tổng của (trọng số × điểm ÷ điểm tối đa) các tiêu chí, thang 100."]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
