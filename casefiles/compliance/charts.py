"""Charts as inline SVG, built from numbers in pure Python (no JavaScript, no CDN).

The same markup goes into the dashboard and into the PDF report (WeasyPrint renders
inline SVG, including patterns). Each chart:

- is ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>`` (the description
  states the main facts in words);
- never relies on colour alone: every series has a fill pattern as well as a colour, a
  legend shows both, bars carry their value as text where it fits, and each bar segment
  has a ``<title>`` (tooltip) naming its label and value;
- uses presentation attributes only (no CSS classes), so it looks the same in a browser
  and in the PDF;
- is accompanied on the page by a data table with the same numbers (the templates do
  that), which is the accessible alternative and carries the drill-down links.

Every label is XML-escaped here: chart text may come from reference data that
administrators edit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = "DejaVu Sans, Verdana, sans-serif"
INK = "#1b1f24"
MUTED = "#4a5361"
GRID = "#c9d0da"
CHAR_WIDTH = 0.6  # average glyph width as a share of the font size (DejaVu Sans)


@dataclass(frozen=True)
class Style:
    """How a series is drawn: a fill colour and a pattern of lines or dots over it."""

    colour: str
    pattern: str = "solid"  # solid, diagonal, back_diagonal, horizontal, vertical, dots, cross
    ink: str = "#ffffff"  # colour of the pattern's lines


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]
    style: Style


# Colour-blind-safe colours (Okabe & Ito) with a distinct pattern each.
CATEGORY_STYLES = [
    Style("#0072B2", "solid"),
    Style("#E69F00", "diagonal", "#5c3d00"),
    Style("#009E73", "dots"),
    Style("#CC79A7", "horizontal", "#4d1f3b"),
    Style("#56B4E9", "back_diagonal", "#123d57"),
    Style("#D55E00", "vertical"),
    Style("#F0E442", "cross", "#5c5500"),
    Style("#6b6b6b", "diagonal"),
    Style("#1b1f24", "dots"),
]


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _fits(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _truncate(text: str, width: float, size: float) -> str:
    limit = max(int(width / (size * CHAR_WIDTH)), 4)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pattern(uid: str, index: int, style: Style) -> str:
    """A ``<pattern>`` with the colour as background and the style's marks over it."""
    pid = f"{uid}-p{index}"
    marks = {
        "solid": "",
        "diagonal": f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{style.ink}" '
        'stroke-width="1.5"/>',
        "back_diagonal": f'<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke="{style.ink}" '
        'stroke-width="1.5"/>',
        "horizontal": f'<path d="M0,4 h8" stroke="{style.ink}" stroke-width="1.5"/>',
        "vertical": f'<path d="M4,0 v8" stroke="{style.ink}" stroke-width="1.5"/>',
        "dots": f'<circle cx="4" cy="4" r="1.6" fill="{style.ink}"/>',
        "cross": f'<path d="M0,4 h8 M4,0 v8" stroke="{style.ink}" stroke-width="1.2"/>',
    }[style.pattern]
    return (
        f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">'
        f'<rect width="8" height="8" fill="{style.colour}"/>{marks}</pattern>'
    )


def _fill(uid: str, index: int, style: Style) -> str:
    return style.colour if style.pattern == "solid" else f"url(#{uid}-p{index})"


def _open(uid: str, width: float, height: float, title: str, desc: str, defs: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="{FONT}" class="chart">'
        f'<title id="{uid}-title">{esc(title)}</title><desc id="{uid}-desc">{esc(desc)}</desc>'
        f"<defs>{defs}</defs>"
    )


def _legend(uid: str, series: Sequence[Series], x: float, y: float, width: float) -> tuple:
    """Legend swatches (pattern and colour) with labels, wrapped to ``width``."""
    parts, cx, cy, size = [], x, y, 11
    for index, s in enumerate(series):
        item = 18 + _fits(s.label, size) + 16
        if cx + item > x + width and cx > x:
            cx, cy = x, cy + 18
        parts.append(
            f'<rect x="{cx:g}" y="{cy:g}" width="13" height="13" '
            f'fill="{_fill(uid, index, s.style)}" stroke="{INK}" stroke-width="0.6"/>'
            f'<text x="{cx + 18:g}" y="{cy + 11:g}" font-size="{size}" fill="{INK}">'
            f"{esc(s.label)}</text>"
        )
        cx += item
    return "".join(parts), cy + 18 - y


def _ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``maximum`` (whole numbers: these are counts)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    base = 10 ** math.floor(math.log10(raw))
    step = max(next(m * base for m in (1, 2, 5, 10) if m * base >= raw), 1)
    return [i * step for i in range(math.ceil(maximum / step) + 1)]


def stacked_bars(
    *,
    uid: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    width: float = 720,
) -> str:
    """Horizontal stacked bars, one per category (e.g. municipality), total at the end."""
    size, bar, gap = 11, 16, 6
    label_width = min(max((_fits(c, size) for c in categories), default=40) + 14, 190)
    legend, legend_height = _legend(uid, series, 0, 0, width)
    top = legend_height + 8
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    ticks = _ticks(max(totals, default=0))
    plot_left, plot_width = label_width, width - label_width - 40
    scale = plot_width / ticks[-1] if ticks[-1] else 0
    height = top + len(categories) * (bar + gap) + 24
    defs = "".join(_pattern(uid, i, s.style) for i, s in enumerate(series))
    out = [_open(uid, width, height, title, desc, defs), f"<g>{legend}</g>"]
    bottom = top + len(categories) * (bar + gap)
    for tick in ticks:
        x = plot_left + tick * scale
        out.append(
            f'<line x1="{x:g}" y1="{top - 2:g}" x2="{x:g}" y2="{bottom:g}" stroke="{GRID}" '
            'stroke-width="1"/>'
            f'<text x="{x:g}" y="{bottom + 14:g}" font-size="10" fill="{MUTED}" '
            f'text-anchor="middle">{_number(tick)}</text>'
        )
    for row, category in enumerate(categories):
        y = top + row * (bar + gap)
        out.append(
            f'<text x="{label_width - 6:g}" y="{y + bar - 4:g}" font-size="{size}" '
            f'fill="{INK}" text-anchor="end">{esc(_truncate(category, label_width - 8, size))}'
            f"<title>{esc(category)}</title></text>"
        )
        x = plot_left
        for index, s in enumerate(series):
            value = s.values[row]
            if not value:
                continue
            w = value * scale
            out.append(
                f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{bar}" '
                f'fill="{_fill(uid, index, s.style)}" stroke="#ffffff" stroke-width="0.8">'
                f"<title>{esc(category)} – {esc(s.label)}: {_number(value)}</title></rect>"
            )
            x += w
        out.append(
            f'<text x="{x + 4:g}" y="{y + bar - 4:g}" font-size="{size}" fill="{INK}">'
            f"{_number(totals[row])}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def columns(
    *,
    uid: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float],
    axis_label: str,
    style: Style = Style("#0b4f8a", "solid"),
    width: float = 640,
    height: float = 260,
) -> str:
    """Vertical columns (a distribution), each with its value written above it."""
    size = 11
    left, right, top, bottom = 36, 10, 16, 52
    plot_width, plot_height = width - left - right, height - top - bottom
    ticks = _ticks(max(values, default=0))
    scale = plot_height / ticks[-1] if ticks[-1] else 0
    slot = plot_width / max(len(values), 1)
    column = slot * 0.7
    out = [_open(uid, width, height, title, desc, _pattern(uid, 0, style))]
    for tick in ticks:
        y = top + plot_height - tick * scale
        out.append(
            f'<line x1="{left:g}" y1="{y:g}" x2="{width - right:g}" y2="{y:g}" stroke="{GRID}"/>'
            f'<text x="{left - 6:g}" y="{y + 4:g}" font-size="10" fill="{MUTED}" '
            f'text-anchor="end">{_number(tick)}</text>'
        )
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + index * slot + (slot - column) / 2
        h = value * scale
        y = top + plot_height - h
        if value:
            out.append(
                f'<rect x="{x:g}" y="{y:g}" width="{column:g}" height="{h:g}" '
                f'fill="{_fill(uid, 0, style)}">'
                f"<title>{esc(label)}: {_number(value)}</title></rect>"
            )
        out.append(
            f'<text x="{x + column / 2:g}" y="{y - 4:g}" font-size="{size}" fill="{INK}" '
            f'text-anchor="middle">{_number(value)}</text>'
            f'<text x="{x + column / 2:g}" y="{top + plot_height + 16:g}" font-size="{size}" '
            f'fill="{INK}" text-anchor="middle">{esc(_truncate(label, slot, size))}</text>'
        )
    out.append(
        f'<line x1="{left:g}" y1="{top + plot_height:g}" x2="{width - right:g}" '
        f'y2="{top + plot_height:g}" stroke="{INK}"/>'
        f'<text x="{left + plot_width / 2:g}" y="{height - 8:g}" font-size="{size}" '
        f'fill="{MUTED}" text-anchor="middle">{esc(axis_label)}</text></svg>'
    )
    return "".join(out)


def stacked_columns(
    *,
    uid: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    width: float = 720,
    plot_height: float = 220,
) -> str:
    """Vertical stacked columns (e.g. months) with a patterned legend; totals on top."""
    size = 11
    left, right = 36, 10
    legend, legend_height = _legend(uid, series, left, 0, width - left - right)
    top = legend_height + 18
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    ticks = _ticks(max(totals, default=0))
    scale = plot_height / ticks[-1] if ticks[-1] else 0
    plot_width = width - left - right
    slot = plot_width / max(len(labels), 1)
    column = min(slot * 0.7, 48)
    height = top + plot_height + 40
    defs = "".join(_pattern(uid, i, s.style) for i, s in enumerate(series))
    out = [_open(uid, width, height, title, desc, defs), f"<g>{legend}</g>"]
    base = top + plot_height
    for tick in ticks:
        y = base - tick * scale
        out.append(
            f'<line x1="{left:g}" y1="{y:g}" x2="{width - right:g}" y2="{y:g}" stroke="{GRID}"/>'
            f'<text x="{left - 6:g}" y="{y + 4:g}" font-size="10" fill="{MUTED}" '
            f'text-anchor="end">{_number(tick)}</text>'
        )
    for index, label in enumerate(labels):
        x = left + index * slot + (slot - column) / 2
        y = base
        for number, s in enumerate(series):
            value = s.values[index]
            if not value:
                continue
            h = value * scale
            y -= h
            out.append(
                f'<rect x="{x:g}" y="{y:g}" width="{column:g}" height="{h:g}" '
                f'fill="{_fill(uid, number, s.style)}" stroke="#ffffff" stroke-width="0.8">'
                f"<title>{esc(label)} – {esc(s.label)}: {_number(value)}</title></rect>"
            )
        out.append(
            f'<text x="{x + column / 2:g}" y="{y - 4:g}" font-size="{size}" fill="{INK}" '
            f'text-anchor="middle">{_number(totals[index])}</text>'
            f'<text x="{x + column / 2:g}" y="{base + 16:g}" font-size="{size}" fill="{INK}" '
            f'text-anchor="middle">{esc(_truncate(label, slot, size))}</text>'
        )
    out.append(
        f'<line x1="{left:g}" y1="{base:g}" x2="{width - right:g}" y2="{base:g}" '
        f'stroke="{INK}"/></svg>'
    )
    return "".join(out)


def ranking(
    *,
    uid: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float | None]],
    maximum: float = 100,
    missing: str = "—",
    width: float = 720,
) -> str:
    """Horizontal bars sorted as given (best first), the value written after each bar."""
    size, bar, gap = 11, 14, 5
    label_width = min(max((_fits(label, size) for label, _ in rows), default=40) + 14, 190)
    plot_left, plot_width = label_width, width - label_width - 48
    top = 4
    height = top + len(rows) * (bar + gap) + 22
    style = Style("#0b4f8a", "solid")
    out = [_open(uid, width, height, title, desc)]
    bottom = top + len(rows) * (bar + gap)
    for tick in range(0, int(maximum) + 1, int(maximum // 5) or 1):
        x = plot_left + tick / maximum * plot_width
        out.append(
            f'<line x1="{x:g}" y1="{top:g}" x2="{x:g}" y2="{bottom:g}" stroke="{GRID}"/>'
            f'<text x="{x:g}" y="{bottom + 14:g}" font-size="10" fill="{MUTED}" '
            f'text-anchor="middle">{tick}</text>'
        )
    for row, (label, value) in enumerate(rows):
        y = top + row * (bar + gap)
        out.append(
            f'<text x="{label_width - 6:g}" y="{y + bar - 3:g}" font-size="{size}" '
            f'fill="{INK}" text-anchor="end">{esc(_truncate(label, label_width - 8, size))}'
            f"<title>{esc(label)}</title></text>"
        )
        if value is None:
            out.append(
                f'<text x="{plot_left + 4:g}" y="{y + bar - 3:g}" font-size="{size}" '
                f'fill="{MUTED}">{esc(missing)}</text>'
            )
            continue
        w = max(value, 0) / maximum * plot_width
        out.append(
            f'<rect x="{plot_left:g}" y="{y:g}" width="{w:g}" height="{bar}" '
            f'fill="{style.colour}"><title>{esc(label)}: {_number(value)}</title></rect>'
            f'<text x="{plot_left + w + 4:g}" y="{y + bar - 3:g}" font-size="{size}" '
            f'fill="{INK}">{_number(value)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
