"""Charts of the results as inline SVG made on the server (no JavaScript, no external request).

Every chart is an image for assistive technology (``role="img"``, a ``<title>`` and a
``<desc>`` that reads out every value) and carries its figures as text too.  Colours come
from ``currentColor``: the page's text colour, or the colour set on a group, so the site's
high-contrast mode (which sets ``color`` on every element) and the system's forced colours
turn bars, lines and labels into the contrast colour; series then still differ by dash
pattern and marker shape.  The ``viewBox`` makes a chart as wide as its container.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .results import format_number

# User units across; narrow enough that the text stays legible on a phone's screen.
WIDTH = 360
PAD = 8
FONT_FAMILY = "system-ui, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
# Mean advance of a character in a sans-serif face, as a share of the font size (Vietnamese
# text with its marks); on the safe side, so that a wrapped label never runs off the chart.
CHAR_WIDTH = 0.6
BAR_COLOUR = "#a3111a"  # the portal's brand red; a page's stylesheet may override it
SERIES_COLOURS = ["#0b5cad", "#b3420e", "#1d7a3e", "#7b3d99", "#8a5a00", "#333333"]
SERIES_DASHES = ["", "8 4", "2 3", "10 3 2 3", "5 5", "1 3"]
MARKERS = ["circle", "square", "triangle", "diamond", "cross", "circle-open"]

Number = Decimal | float | int


def _chart_id(kind: str, *data) -> str:
    digest = hashlib.sha1(repr((kind, data)).encode(), usedforsecurity=False).hexdigest()
    return f"bieu-do-{kind}-{digest[:10]}"


def _n(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def wrap(text: str, width: int, max_lines: int = 2) -> list[str]:
    """``text`` in lines of at most ``width`` characters, cut with "…" past ``max_lines``."""
    width = max(4, width)
    words = str(text).split()
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:  # a word longer than a line is cut
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[: max_lines - 1] + [last[: width - 1].rstrip() + "…"]
    return lines


def _svg(chart_id: str, kind: str, height: float, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg class="chart chart--{kind}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMinYMin meet" '
        f'font-family="{FONT_FAMILY}" fill="currentColor">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _fraction(value: Number | None, maximum: Number | None) -> float:
    if value is None or not maximum or float(maximum) <= 0:
        return 0.0
    return max(0.0, min(1.0, float(value) / float(maximum)))


def bar_chart(
    rows: Sequence[tuple[str, Number | None, Number]],
    unit: str = "điểm",
    *,
    title: str = "Biểu đồ điểm",
) -> SafeString:
    """Horizontal bars: ``rows`` are (label, value, maximum); the label sits above its bar.

    Labels wrap onto two lines and are cut with "…" beyond (the full label stays in the
    bar's tooltip and in the description read by screen readers).
    """
    font, line, bar, gap = 14, 18, 14, 12
    value_space = 96
    max_chars = int((WIDTH - 2 * PAD) / (font * CHAR_WIDTH))
    track = WIDTH - 2 * PAD - value_space
    chart_id = _chart_id("cot", title, unit, [tuple(map(str, r)) for r in rows])
    body: list[str] = []
    described: list[str] = []
    y = float(PAD)
    for label, value, maximum in rows:
        shown = f"{format_number(value)} {unit}".strip() if value is not None else "chưa có"
        out_of = f"{format_number(value)}/{format_number(maximum)} {unit}".strip()
        described.append(f"{label}: {out_of if value is not None else 'chưa có'}")
        body.append(f'<g class="chart__row"><title>{escape(label)}: {escape(out_of)}</title>')
        for text in wrap(label, max_chars):
            y += line
            body.append(
                f'<text class="chart__label" x="{PAD}" y="{_n(y - 4)}" font-size="{font}">'
                f"{escape(text)}</text>"
            )
        top = y + 2
        body.append(
            f'<rect class="chart__track" x="{PAD}" y="{_n(top)}" width="{track}" '
            f'height="{bar}" rx="2" fill="currentColor" fill-opacity="0.12"/>'
        )
        width = track * _fraction(value, maximum)
        if width > 0:
            body.append(
                f'<rect class="chart__bar" x="{PAD}" y="{_n(top)}" width="{_n(width)}" '
                f'height="{bar}" rx="2" color="{BAR_COLOUR}" fill="currentColor"/>'
            )
        body.append(
            f'<text class="chart__value" x="{WIDTH - PAD}" y="{_n(top + bar - 2)}" '
            f'font-size="{font}" font-weight="bold" text-anchor="end">{escape(shown)}</text>'
        )
        body.append("</g>")
        y = top + bar + gap
    if not rows:
        y += line
        body.append(f'<text x="{PAD}" y="{_n(y)}" font-size="{font}">Chưa có số liệu.</text>')
        y += gap
    desc = "; ".join(described) + "." if described else "Chưa có số liệu."
    return mark_safe(_svg(chart_id, "cot", y + PAD - gap / 2, title, desc, body))  # noqa: S308


def _ticks(max_value: float, inverted: bool) -> list[float]:
    if inverted:  # ranks: 1 at the top, whole numbers only
        if max_value <= 5:
            return [float(v) for v in range(1, int(max_value) + 1)]
        step = math.ceil((max_value - 1) / 4)
        ticks = [1.0 + step * i for i in range(5) if 1 + step * i <= max_value]
        return ticks if ticks[-1] == max_value else [*ticks, float(max_value)]
    return [max_value * i / 4 for i in range(5)]


def _marker(shape: str, x: float, y: float) -> str:
    size = 4.5
    if shape == "square":
        return (
            f'<rect x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(2 * size)}" '
            f'height="{_n(2 * size)}" fill="currentColor"/>'
        )
    if shape == "triangle":
        return (
            f'<path d="M{_n(x)} {_n(y - size - 1)}L{_n(x + size + 1)} {_n(y + size)}'
            f'L{_n(x - size - 1)} {_n(y + size)}Z" fill="currentColor"/>'
        )
    if shape == "diamond":
        return (
            f'<path d="M{_n(x)} {_n(y - size - 1)}L{_n(x + size + 1)} {_n(y)}'
            f'L{_n(x)} {_n(y + size + 1)}L{_n(x - size - 1)} {_n(y)}Z" fill="currentColor"/>'
        )
    if shape == "cross":
        return (
            f'<path d="M{_n(x - size)} {_n(y - size)}L{_n(x + size)} {_n(y + size)}'
            f'M{_n(x - size)} {_n(y + size)}L{_n(x + size)} {_n(y - size)}" '
            f'stroke="currentColor" stroke-width="2.5" fill="none"/>'
        )
    if shape == "circle-open":
        return (
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" fill="none" '
            f'stroke="currentColor" stroke-width="2"/>'
        )
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" fill="currentColor"/>'


def trend_chart(
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    max_value: Number = 100,
    *,
    title: str = "Diễn biến tổng điểm qua các kỳ",
    unit: str = "điểm",
    inverted: bool = False,
) -> SafeString:
    """Lines across ``periods``, one per (name, values); ``None`` leaves a gap; a legend below.

    ``inverted`` draws ranks: 1 at the top, ``max_value`` (the last rank) at the bottom.
    """
    periods = [str(p) for p in periods]
    for name, values in series:
        if len(values) != len(periods):
            raise ValueError(f"“{name}”: {len(values)} giá trị cho {len(periods)} kỳ.")
    top_value = float(max_value) if max_value and float(max_value) > 0 else 1.0
    if inverted:
        top_value = max(top_value, 1.0)
    font, small = 14, 12
    left, right, top, plot_h = 38, 14, 12, 180
    plot_w = WIDTH - left - right
    inner = 14  # first and last point stand off the axes
    count = len(periods)
    if count > 1:
        step = (plot_w - 2 * inner) / (count - 1)
        xs = [left + inner + i * step for i in range(count)]
    else:
        step = plot_w - 2 * inner
        xs = [left + plot_w / 2]

    def y_of(value: float) -> float:
        if inverted:
            span = top_value - 1 or 1
            return top + (min(max(value, 1), top_value) - 1) / span * plot_h
        return top + plot_h - max(0.0, min(value, top_value)) / top_value * plot_h

    chart_id = _chart_id(
        "xu-huong", title, unit, periods, [(n, [str(v) for v in vs]) for n, vs in series]
    )
    body: list[str] = []
    for tick in _ticks(top_value, inverted):
        y = y_of(tick)
        body.append(
            f'<line class="chart__grid" x1="{left}" x2="{WIDTH - right}" y1="{_n(y)}" '
            f'y2="{_n(y)}" stroke="currentColor" stroke-opacity="0.25" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{_n(y + 4)}" font-size="{small}" text-anchor="end">'
            f"{escape(format_number(tick))}</text>"
        )
    # Period labels: wrapped to the space between points, every k-th one when crowded.
    per_label = max(1, math.ceil(56 / step)) if count > 1 else 1
    label_chars = int(min(step * per_label * 0.9, 150) / (small * CHAR_WIDTH))
    label_lines = 1
    shown = list(range(0, count, per_label))
    if shown and shown[-1] != count - 1:
        shown[-1] = count - 1  # the latest period is always named
    for i in shown:
        x, name = xs[i], periods[i]
        lines = wrap(name, label_chars)
        label_lines = max(label_lines, len(lines))
        half = max(len(text) for text in lines) * small * CHAR_WIDTH / 2
        centre = min(max(x, PAD + half), WIDTH - PAD - half)  # kept inside the chart
        for j, text in enumerate(lines):
            body.append(
                f'<text x="{_n(centre)}" y="{_n(top + plot_h + 18 + j * 15)}" '
                f'font-size="{small}" text-anchor="middle">{escape(text)}</text>'
            )
    described: list[str] = []
    legend_top = top + plot_h + 18 + label_lines * 15 + 8
    legend_chars = int((WIDTH - 2 * PAD - 40) / (font * CHAR_WIDTH))
    for index, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[index % len(SERIES_DASHES)]
        shape = MARKERS[index % len(MARKERS)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<g class="chart__series chart__series--{index + 1}" color="{colour}">')
        segment: list[str] = []
        for x, value in [*zip(xs, values, strict=True), (None, None)]:
            if value is None:
                if len(segment) > 1:
                    body.append(
                        f'<polyline points="{" ".join(segment)}" fill="none" '
                        f'stroke="currentColor" stroke-width="2.5"{dash_attr} '
                        f'stroke-linejoin="round"/>'
                    )
                segment = []
                continue
            segment.append(f"{_n(x)},{_n(y_of(float(value)))}")
        said = []
        for x, value, period in zip(xs, values, periods, strict=True):
            if value is None:
                said.append(f"{period}: không có")
                continue
            text = f"{name} – {period}: {format_number(value)} {unit}".strip()
            said.append(f"{period}: {format_number(value)}")
            body.append(f"<g><title>{escape(text)}</title>")
            body.append(_marker(shape, x, y_of(float(value))))
            body.append("</g>")
        described.append(f"{name}: " + ", ".join(said))
        # Legend entry: a sample of the line and marker, then the name.
        y = legend_top + index * 22
        body.append(
            f'<line x1="{PAD}" x2="{PAD + 28}" y1="{y}" y2="{y}" stroke="currentColor" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        body.append(_marker(shape, PAD + 14, y))
        body.append("</g>")
        body.append(
            f'<text class="chart__legend" x="{PAD + 38}" y="{y + 5}" font-size="{font}">'
            f"{escape(wrap(name, legend_chars, 1)[0])}</text>"
        )
    height = legend_top + max(1, len(series)) * 22 - 6
    if not series:
        body.append(
            f'<text x="{PAD}" y="{legend_top + 5}" font-size="{font}">Chưa có số liệu.</text>'
        )
    scale = f" (trục dọc: {unit}, tối đa {format_number(top_value)})" if unit else ""
    desc = (
        f"Các kỳ: {', '.join(periods)}{scale}. " + "; ".join(described) + "."
        if described
        else "Chưa có số liệu."
    )
    return mark_safe(_svg(chart_id, "xu-huong", height, title, desc, body))  # noqa: S308
