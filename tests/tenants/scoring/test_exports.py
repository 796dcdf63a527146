"""XLSX and PDF of a period's results: frozen once locked, provisional while open."""

import io

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from tenants.models import Tenant
from tenants.scoring import export_pdf, export_xlsx
from tenants.scoring.models import Period

from .pdf_text import text_lines
from .results_helpers import scored_period

pytestmark = pytest.mark.django_db


def workbook(period):
    return load_workbook(io.BytesIO(export_xlsx.results_xlsx(period)))


def values(sheet, first_row=5):
    return [
        [cell for cell in row]
        for row in sheet.iter_rows(min_row=first_row, values_only=True)
        if any(cell is not None for cell in row)
    ]


def test_xlsx_sheets_per_level_and_per_criterion(sites):
    period = scored_period(sites.province, judged={("04921", "chat-luong"): "9"})
    book = workbook(period)
    names = book.sheetnames
    assert names[:3] == ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]
    assert "TC9 Chất lượng nội dung" in names
    assert names[-1] == "Tiêu chí"
    assert len(names) == 3 + 11 + 1
    communes = book["Cấp xã"]
    assert communes["A1"].value == (
        "Kết quả đánh giá, xếp hạng cổng thông tin điện tử – Quý I/2026 – Tỉnh Hoà Bình"
    )
    assert "01/01/2026 – 31/03/2026" in communes["A2"].value
    assert "Đã công bố ngày" in communes["A2"].value
    header = [c.value for c in communes[4]]
    assert header[:4] == ["Hạng", "Trang", "Mã đơn vị", "Tổng điểm (thang 100)"]
    assert header[4] == "TC1. Cập nhật tin, bài (tối đa 10)"
    assert len(header) == 4 + 11
    rows = values(communes)
    assert [row[:4] for row in rows[:2]] == [
        [1, "Xã Nhuận Trạch", "04954", 81],
        [2, "Xã Độc Lập", "04921", 56.5],
    ]
    assert rows[0][4:] == [8, 8, 8, 8, 8, 8, 8, 10, 8, 8, 8]
    assert rows[1][12] == 9  # TC9, the council's score
    # Per criterion: ranked within each level; the province stands alone (not listed).
    quality = values(book["TC9 Chất lượng nội dung"])
    assert quality == [
        ["Cấp huyện", 1, "Huyện Lương Sơn", 10],
        ["Cấp xã", 1, "Xã Độc Lập", 9],
        ["Cấp xã", 2, "Xã Nhuận Trạch", 8],
    ]
    criteria = values(book["Tiêu chí"])
    assert criteria[0][:6] == [
        "TC1",
        "tin-bai",
        "Cập nhật tin, bài",
        "Tự động (tính từ dữ liệu của trang)",
        15,
        10,
    ]
    # Council comments are not exported.
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert "Nhận xét nội bộ của hội đồng" not in row


def test_xlsx_text_never_starts_a_formula(sites):
    Tenant.objects.filter(pk=sites.direct_commune.pk).update(name='=HYPERLINK("http://x","Xã")')
    period = scored_period(sites.province)
    book = workbook(period)
    names = [row[1] for row in values(book["Cấp xã"]) if isinstance(row[0], int)]
    assert '\'=HYPERLINK("http://x","Xã")' in names
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_open_period_is_provisional(sites):
    period = scored_period(sites.province, status=Period.Status.OPEN)
    book = workbook(period)
    assert book["Cấp xã"]["A2"].value.endswith(
        "Kết quả tạm tính: kỳ đánh giá đang mở, điểm còn có thể thay đổi."
    )
    assert values(book["Cấp xã"])[0][:2] == [1, "Xã Nhuận Trạch"]
    lines = text_lines(export_pdf.results_pdf(period, compress=False))
    assert "Kết quả tạm tính: kỳ đánh giá đang mở, điểm còn có thể thay đổi." in lines


def test_pdf_shows_the_ranking_in_vietnamese(sites):
    period = scored_period(sites.province)
    data = export_pdf.results_pdf(period, compress=False)
    assert data.startswith(b"%PDF-")
    assert data.count(b"/Type /Page\n") >= 2
    lines = text_lines(data)
    assert "KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG CỔNG THÔNG TIN ĐIỆN TỬ CÁC CẤP" in lines
    assert "Quý I/2026 (từ 01/01/2026 – 31/03/2026)" in lines
    assert "Xếp hạng cấp xã (2 trang)" in lines
    for text in ("Xã Nhuận Trạch", "Xã Độc Lập", "Huyện Lương Sơn", "1/2", "2/2", "52,5", "81"):
        assert text in lines, text
    assert "Kết quả tạm tính: kỳ đánh giá đang mở, điểm còn có thể thay đổi." not in lines
    assert "TC11. Hình thức trình bày (tối đa 10)" in lines
    # Compressed (the default) it is still a PDF, and smaller.
    compressed = export_pdf.results_pdf(period)
    assert compressed.startswith(b"%PDF-") and len(compressed) < len(data)


def test_pdf_font_lookup_and_its_message(tmp_path):
    with (
        override_settings(PDF_FONT_DIRS=[str(tmp_path)]),
        pytest.raises(export_pdf.FontMissing) as refused,
    ):
        export_pdf.find_font()
    assert "fonts-dejavu-core" in str(refused.value)
    # A fallback family in a folder under a listed one is found (bold is optional).
    (tmp_path / "liberation").mkdir()
    regular = tmp_path / "liberation" / "LiberationSans-Regular.ttf"
    regular.write_bytes(b"not read here")
    with override_settings(PDF_FONT_DIRS=[str(tmp_path / "missing"), str(tmp_path)]):
        font = export_pdf.find_font()
    assert (font.regular, font.bold) == (regular, None)
