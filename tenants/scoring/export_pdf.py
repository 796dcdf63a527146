"""A period's results as a spreadsheet (XLSX) and as a printable report (PDF).

Both show the ranking of each level (rank, site, total, every criterion's score) and the
ranking on each criterion.  An open period is computed now and marked "Kết quả tạm tính";
a locked or published one is read from its frozen results.  Only scores are exported:
council members' comments and self-assessments stay internal.

The PDF needs a TrueType font with Vietnamese letters (DejaVu Sans from Debian's
``fonts-dejavu-core``, or Noto Sans, or Liberation Sans), looked up in ``PDF_FONT_DIRS``;
without one, ``FontMissing`` says so in words the views show.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .errors import ScoringError
from .models import Period
from .results import (
    PROVISIONAL_LABEL,
    CriterionInfo,
    LevelResults,
    PeriodResults,
    format_number,
    period_results,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Font families tried in this order: (regular, bold) file names.
PDF_FONT_FILES = [
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
]
FONT_MISSING = (
    "Không tạo được tệp PDF: máy chủ chưa có phông chữ tiếng Việt (DejaVu Sans, Noto Sans "
    "hoặc Liberation Sans). Quản trị hệ thống cần cài gói fonts-dejavu-core hoặc khai báo "
    "thư mục phông chữ trong PDF_FONT_DIRS. Bảng tính XLSX vẫn tải được."
)


class FontMissing(ScoringError):
    """No font with Vietnamese letters was found for the PDF."""


def _text(value) -> str:
    """Text for a cell; the shared writer (``core.spreadsheet.append_row``) neutralises
    formulas (``=``, ``+``, ``-``, ``@``, tab, carriage return) as every export does."""
    return "" if value is None else str(value)


def export_name(period: Period, extension: str) -> str:
    from component_sites.core.text import ascii_slug

    return f"ket-qua-danh-gia-{ascii_slug(period.name)}.{extension}"


def _dates(period: Period) -> str:
    return f"{period.starts_on:%d/%m/%Y} – {period.ends_on:%d/%m/%Y}"


def status_line(results: PeriodResults) -> str:
    period = results.period
    if results.provisional:
        return f"{PROVISIONAL_LABEL}: kỳ đánh giá đang mở, điểm còn có thể thay đổi."
    if period.status == Period.Status.PUBLISHED and period.published_at:
        return f"Đã công bố ngày {timezone.localtime(period.published_at):%d/%m/%Y}."
    if period.locked_at:
        return f"Đã khoá ngày {timezone.localtime(period.locked_at):%d/%m/%Y}, chưa công bố."
    return "Đã khoá, chưa công bố."


def _criterion_heading(criterion: CriterionInfo) -> str:
    return f"{criterion.short}. {criterion.name} (tối đa {format_number(criterion.max_score)})"


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
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from component_sites.core.spreadsheet import append_row, set_cell

    results = period_results(period)
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EFEAE4")
    title = _text(f"{results.title} – {results.province_name}")
    subtitle = _text(f"Từ {_dates(period)}. {status_line(results)}")

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
                *[_text(_criterion_heading(c)) for c in criteria],
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
        set_cell(sheet, "A3", _criterion_heading(criterion))
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


# --- PDF -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfFont:
    regular: Path
    bold: Path | None


def font_dirs() -> list[Path]:
    return [Path(d) for d in getattr(settings, "PDF_FONT_DIRS", []) if d]


def find_font() -> PdfFont:
    """The first family of ``PDF_FONT_FILES`` present in a folder of ``PDF_FONT_DIRS``
    (or a folder right under one); ``FontMissing`` when there is none."""
    folders = []
    for folder in font_dirs():
        folders.append(folder)
        if folder.is_dir():
            folders.extend(sorted(p for p in folder.iterdir() if p.is_dir()))
    for regular, bold in PDF_FONT_FILES:
        for folder in folders:
            if (folder / regular).is_file():
                bold_path = folder / bold
                return PdfFont(folder / regular, bold_path if bold_path.is_file() else None)
    raise FontMissing(FONT_MISSING)


def _nfc(text) -> str:
    # Names typed on some keyboards arrive decomposed; the font has the composed letters.
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def results_pdf(period: Period, *, compress: bool = True) -> bytes:
    """An A4 landscape report: criteria, ranking per level, ranking per criterion."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    font = find_font()
    results = period_results(period)
    generated = timezone.localtime()

    class Report(FPDF):
        def footer(self):
            self.set_y(-11)
            self.set_font("VN", "", 8)
            self.set_text_color(90, 90, 90)
            left = f"{results.province_name} – {period.name}"
            if results.provisional:
                left += f" – {PROVISIONAL_LABEL.upper()}"
            self.cell(0, 5, _nfc(left), align="L")
            self.set_x(self.l_margin)
            self.cell(
                0,
                5,
                f"Lập ngày {generated:%d/%m/%Y %H:%M} · Trang {self.page_no()}/{{nb}}",
                align="R",
            )

    pdf = Report(orientation="L", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.add_font("VN", "", str(font.regular))
    pdf.add_font("VN", "B", str(font.bold or font.regular))
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(_nfc(f"{results.title} – {results.province_name}"))
    pdf.set_author(_nfc(results.province_name))
    pdf.set_subject(_nfc(PROVISIONAL_LABEL if results.provisional else period.name))
    pdf.set_creator("Cổng thông tin điện tử")
    pdf.set_lang("vi")
    pdf.add_page()

    def write(text: str, size: float = 10, bold: bool = False, height: float = 5.5, colour=None):
        pdf.set_font("VN", "B" if bold else "", size)
        pdf.set_text_color(*(colour or (28, 28, 28)))
        pdf.multi_cell(0, height, _nfc(text), new_x="LMARGIN", new_y="NEXT")

    heading_style = FontFace(emphasis="BOLD", fill_color=(239, 234, 228))

    def table(
        header: list[str],
        rows: list[list[str]],
        widths: list[float],
        aligns: list[str],
        width: float | None = None,
    ):
        pdf.set_font("VN", "", 8.5)
        pdf.set_text_color(28, 28, 28)
        with pdf.table(
            width=width,
            align="LEFT",
            col_widths=widths,
            text_align=aligns,
            line_height=4.6,
            headings_style=heading_style,
            padding=1.2,
        ) as grid:
            grid.row([_nfc(h) for h in header])
            for row in rows:
                grid.row([_nfc(cell) for cell in row])
        pdf.ln(3)

    write(f"Cổng thông tin điện tử {results.province_name}", 10)
    write("KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG CỔNG THÔNG TIN ĐIỆN TỬ CÁC CẤP", 15, bold=True, height=8)
    write(f"{period.name} (từ {_dates(period)})", 12, bold=True, height=7)
    if results.provisional:
        # Boxed, in the brand red: nobody should take these figures for the final ones.
        pdf.set_font("VN", "B", 12)
        pdf.set_text_color(163, 17, 26)
        pdf.set_draw_color(163, 17, 26)
        pdf.set_line_width(0.6)
        pdf.multi_cell(
            0, 8, _nfc(status_line(results)), border=1, padding=2, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.2)
    else:
        write(status_line(results), 10)
    pdf.ln(2)

    criteria = results.criteria
    write("Tiêu chí đánh giá", 12, bold=True, height=7)
    table(
        ["Ký hiệu", "Tiêu chí", "Cách chấm", "Trọng số", "Điểm tối đa"],
        [
            [
                c.short,
                c.name,
                c.kind_label,
                f"{format_number(c.weight)}%",
                format_number(c.max_score),
            ]
            for c in criteria
        ],
        [18, 120, 70, 25, 25],
        ["CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT"],
    )
    write(
        "Tổng điểm = tổng của (trọng số × điểm ÷ điểm tối đa) các tiêu chí, thang điểm 100. "
        "Các trang cùng tổng điểm có cùng hạng.",
        9,
    )
    pdf.ln(2)

    def level_table(group: LevelResults) -> None:
        header = ["Hạng", "Trang", "Tổng điểm", *[c.short for c in criteria]]
        rows = [
            [
                # The province portal stands alone: no rank.
                "–" if group.level == "province" else f"{row.rank}/{row.of_count}",
                row.name,
                format_number(row.total),
                *[format_number(row.scores.get(c.code)) for c in criteria],
            ]
            for row in group.rows
        ]
        rest = max(1, len(criteria))
        widths = [18, 62, 20, *[max(9.0, 173 / rest)] * len(criteria)]
        table(header, rows, widths, ["CENTER", "LEFT", "RIGHT", *["RIGHT"] * len(criteria)])

    for group in results.levels:
        if pdf.will_page_break(40):
            pdf.add_page()
        if group.level == "province":
            write("Cổng thông tin điện tử cấp tỉnh", 12, bold=True, height=7)
        else:
            write(f"Xếp hạng {group.label.lower()} ({group.count} trang)", 12, bold=True, height=7)
        level_table(group)

    ranked = results.ranked_levels
    if ranked and criteria:
        pdf.add_page()
        write("XẾP HẠNG THEO TỪNG TIÊU CHÍ", 13, bold=True, height=8)
        for criterion in criteria:
            if pdf.will_page_break(35):
                pdf.add_page()
            write(_criterion_heading(criterion), 11, bold=True, height=6.5)
            rows = [
                [
                    group.label,
                    f"{row.ranks.get(criterion.code) or '–'}/{group.count}",
                    row.name,
                    format_number(row.scores.get(criterion.code)),
                ]
                for group in results.by_criterion(criterion.code)
                if group.level != "province"
                for row in group.rows
            ]
            table(
                ["Cấp", "Hạng", "Trang", "Điểm"],
                rows,
                [30, 20, 120, 25],
                ["LEFT", "CENTER", "LEFT", "RIGHT"],
                width=195,
            )
    return bytes(pdf.output())
