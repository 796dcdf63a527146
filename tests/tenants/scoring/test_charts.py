"""Server-side SVG charts: accessible, responsive, Vietnamese numbers, long names kept inside."""

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from tenants.scoring.charts import CHAR_WIDTH, PAD, WIDTH, bar_chart, trend_chart, wrap

SVG = "{http://www.w3.org/2000/svg}"
LONG_NAME = (
    "Cổng thông tin điện tử Ủy ban nhân dân thị trấn Lương Sơn, huyện Lương Sơn, "
    "tỉnh Hòa Bình (trang thành viên mới sáp nhập từ ba xã cũ)"
)


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_bar_chart_is_an_accessible_responsive_image():
    svg = bar_chart(
        [("1. Huyện Lương Sơn", Decimal("85.25"), 100), ("2. Xã Độc Lập", 7.5, 10)],
        title="Tổng điểm cấp huyện",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert re.fullmatch(rf"0 0 {WIDTH} [\d.]+", root.get("viewBox"))
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Tổng điểm cấp huyện"
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == desc_id
    assert "1. Huyện Lương Sơn: 85,25/100 điểm" in desc.text
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "85,25 điểm" in texts
    assert "7,5 điểm" in texts
    assert "1. Huyện Lương Sơn" in texts
    # No fixed colour on text: it follows the page (and its high-contrast mode).
    assert root.get("fill") == "currentColor"
    assert not [t for t in root.iter(f"{SVG}text") if t.get("fill")]
    # Bars are proportional to value / maximum (the track is the full width).
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart__bar"]
    tracks = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart__track"]
    assert float(bars[0].get("width")) == pytest.approx(
        float(tracks[0].get("width")) * 0.8525, 0.01
    )
    assert float(bars[1].get("width")) == pytest.approx(float(tracks[1].get("width")) * 0.75, 0.01)


def test_long_names_wrap_and_never_overflow():
    root = parse(bar_chart([(LONG_NAME, 3, 10)]))
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart__label"]
    assert len(labels) == 2
    assert labels[-1].endswith("…")
    room = (WIDTH - 2 * PAD) / (14 * CHAR_WIDTH)
    assert all(len(label) <= room for label in labels)
    # The whole name stays readable: in the bar's tooltip and the description.
    assert LONG_NAME in root.find(f"{SVG}desc").text
    assert LONG_NAME in root.find(f"{SVG}g/{SVG}title").text


def test_wrap_cuts_words_longer_than_a_line():
    assert wrap("a" * 25, 10, max_lines=3) == ["a" * 10, "a" * 10, "a" * 5]
    assert wrap("một hai ba bốn năm sáu", 7, max_lines=2) == ["một hai", "ba bốn…"]


def test_text_is_escaped():
    svg = bar_chart([("<script>alert(1)</script> & co", 1, 10)], title="<b>")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    parse(svg)  # still well-formed XML


def test_missing_value_and_empty_chart():
    root = parse(bar_chart([("Xã chưa chấm", None, 10)]))
    assert "chưa có" in [t.text for t in root.iter(f"{SVG}text")]
    assert not [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart__bar"]
    assert "Chưa có số liệu." in bar_chart([])


def test_trend_chart_lines_gaps_and_legend():
    periods = ["Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026"]
    svg = trend_chart(
        periods,
        [
            ("Huyện Lương Sơn", [Decimal("80"), None, Decimal("85.5"), Decimal("90")]),
            ("Xã Độc Lập", [Decimal("50"), Decimal("60.25"), None, None]),
        ],
    )
    root = parse(svg)
    assert root.get("role") == "img" and root.get("width") == "100%"
    series = [g for g in root.iter(f"{SVG}g") if "chart__series" in (g.get("class") or "")]
    assert len(series) == 2
    # The gap splits Lương Sơn's line: a lone point (marker only), then a line of two points.
    first_lines = series[0].findall(f"{SVG}polyline")
    assert [len(p.get("points").split()) for p in first_lines] == [2]
    assert [len(p.get("points").split()) for p in series[1].findall(f"{SVG}polyline")] == [2]
    # Series differ by more than colour: dash pattern and marker shape.
    legend_lines = [s.findall(f"{SVG}line")[-1] for s in series]
    assert legend_lines[0].get("stroke-dasharray") != legend_lines[1].get("stroke-dasharray")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Huyện Lương Sơn" in texts and "Xã Độc Lập" in texts
    assert "Quý I/2026" in texts and "Quý IV/2026" in texts
    desc = root.find(f"{SVG}desc").text
    assert "Xã Độc Lập: Quý I/2026: 50, Quý II/2026: 60,25, Quý III/2026: không có" in desc
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Huyện Lương Sơn – Quý III/2026: 85,5 điểm" in titles


def test_trend_chart_of_ranks_puts_first_on_top():
    root = parse(trend_chart(["Quý I", "Quý II"], [("Xã A", [1, 3])], 3, unit="", inverted=True))
    points = root.find(f".//{SVG}polyline").get("points").split()
    (x1, y1), (x2, y2) = (tuple(map(float, p.split(","))) for p in points)
    assert y1 < y2  # rank 1 is drawn above rank 3


def test_trend_chart_refuses_mismatched_series():
    with pytest.raises(ValueError):
        trend_chart(["Quý I", "Quý II"], [("Xã A", [1])])
