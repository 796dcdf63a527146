"""A period's results as a printable report (PDF, A4 landscape): the criteria, the ranking
of each level and the ranking on each criterion.

An open period is computed now and marked "Kết quả tạm tính" in a red box; a locked or
published one is read from its frozen results.  Only scores are printed.

The PDF needs a TrueType font with Vietnamese letters (DejaVu Sans from Debian's
``fonts-dejavu-core``, or Noto Sans, or Liberation Sans), looked up in ``PDF_FONT_DIRS``;
without one, ``FontMissing`` says so in words the views show.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .errors import ScoringError
from .export_text import criterion_heading, period_dates, status_line
from .models import Period
from .results import PROVISIONAL_LABEL, LevelResults, format_number, period_results

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
    write(f"{period.name} (từ {period_dates(period)})", 12, bold=True, height=7)
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
            write(criterion_heading(criterion), 11, bold=True, height=6.5)
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
