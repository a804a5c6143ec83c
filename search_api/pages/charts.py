"""Charts as SVG, rendered on the server by pure functions (data in, markup out).

They work without JavaScript, print, and can be saved with the page. Each chart is an accessible image
(``role="img"`` with a title and a description); the same figures are in the dashboard's table and its
CSV/JSON downloads. Every text is escaped; colours are the Okabe–Ito palette (safe for colour blindness),
and the freshness chart also varies shapes, so that no figure is told by colour alone.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7a7a7a")
TEXT = "#1a1a1a"
MUTED = "#595959"
FONT = 12
ROW = 22
GAP = 8


def text_width(text: str, size: float = FONT) -> float:
    """Rough rendered width: wide (CJK, Hangul) characters about one em, others about 0.6 em."""
    width = 0.0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6
    return width * size


def fit(text: str, room: float, size: float = FONT) -> str:
    """The text, cut with … to fit ``room`` pixels."""
    if text_width(text, size) <= room:
        return text
    cut = text
    while cut and text_width(cut + "…", size) > room:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, width: float, height: float, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, \'Noto Sans\', sans-serif" '
        f'font-size="{FONT}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _label_room(labels: Sequence[str], width: float) -> float:
    longest = max((text_width(label) for label in labels), default=0)
    return min(max(longest + GAP, 60), width * 0.38)


def _empty(chart_id: str, width: float, title: str, description: str, message: str) -> Markup:
    parts = _open(chart_id, width, 40, title, description)
    parts.append(f'<text x="0" y="24" fill="{MUTED}">{escape(message)}</text></svg>')
    return Markup("".join(parts))


def bar_chart(rows: Sequence[tuple[str, float, str]], *, chart_id: str, title: str, description: str,
              width: float = 640, color: str = PALETTE[0], empty: str = "—") -> Markup:
    """Horizontal bars, one per (label, value, value shown as text), in the order given."""
    if not rows:
        return _empty(chart_id, width, title, description, empty)
    room = _label_room([r[0] for r in rows], width)
    value_room = max(text_width(r[2]) for r in rows) + GAP
    span = max(width - room - value_room, 10)
    top = max((r[1] for r in rows), default=0) or 1
    height = len(rows) * ROW + GAP
    parts = _open(chart_id, width, height, title, description)
    for i, (label, value, shown) in enumerate(rows):
        y = GAP / 2 + i * ROW
        bar = span * max(value, 0) / top
        parts.append(f'<g class="bar"><title>{escape(label)}: {escape(shown)}</title>')
        parts.append(f'<text x="{_num(room - GAP)}" y="{_num(y + ROW / 2 + 4)}" text-anchor="end" '
                     f'fill="{TEXT}">{escape(fit(label, room - GAP))}</text>')
        parts.append(f'<rect x="{_num(room)}" y="{_num(y + 3)}" width="{_num(bar)}" height="{ROW - 6}" '
                     f'rx="2" fill="{escape(color)}"/>')
        parts.append(f'<text x="{_num(room + bar + 4)}" y="{_num(y + ROW / 2 + 4)}" fill="{TEXT}">'
                     f'{escape(shown)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    color: str


def _legend(items: Sequence[tuple[str, str, str]], width: float, y0: float) -> tuple[list[str], float]:
    """Legend entries (label, colour, shape) laid out in lines; returns the markup and the height used."""
    parts, x, y = [], 0.0, y0
    for label, color, shape in items:
        room = 18 + text_width(label) + 14
        if x > 0 and x + room > width:
            x, y = 0.0, y + ROW - 4
        parts.append(f'<g class="legend">{_marker(shape, color, x + 6, y + 8, 5)}'
                     f'<text x="{_num(x + 16)}" y="{_num(y + 12)}" fill="{TEXT}">{escape(label)}</text></g>')
        x += room
    return parts, (y - y0) + ROW


def stacked_bar_chart(rows: Sequence[tuple[str, Sequence[tuple[str, float]]]], series: Sequence[Series], *,
                      chart_id: str, title: str, description: str, width: float = 640,
                      total_text=lambda total: _num(total), empty: str = "—") -> Markup:
    """One horizontal bar per row, split into segments by series key; a legend above."""
    if not rows:
        return _empty(chart_id, width, title, description, empty)
    colors = {s.key: s for s in series}
    legend, legend_height = _legend([(s.label, s.color, "square") for s in series], width, 0)
    totals = [sum(v for _, v in segments) for _, segments in rows]
    room = _label_room([r[0] for r in rows], width)
    value_room = max(text_width(total_text(t)) for t in totals) + GAP
    span = max(width - room - value_room, 10)
    top = max(totals) or 1
    height = legend_height + len(rows) * ROW + GAP
    parts = _open(chart_id, width, height, title, description) + legend
    for i, ((label, segments), total) in enumerate(zip(rows, totals, strict=False)):
        y = legend_height + GAP / 2 + i * ROW
        parts.append(f'<g class="bar"><text x="{_num(room - GAP)}" y="{_num(y + ROW / 2 + 4)}" text-anchor="end" '
                     f'fill="{TEXT}"><title>{escape(label)}</title>{escape(fit(label, room - GAP))}</text>')
        x = room
        for key, value in segments:
            if value <= 0:
                continue
            seg = span * value / top
            s = colors.get(key) or Series(key, key, PALETTE[-1])
            parts.append(f'<rect x="{_num(x)}" y="{_num(y + 3)}" width="{_num(seg)}" height="{ROW - 6}" '
                         f'fill="{escape(s.color)}" stroke="#fff" stroke-width="0.5">'
                         f'<title>{escape(label)} · {escape(s.label)}: {escape(_num(value))}</title></rect>')
            x += seg
        parts.append(f'<text x="{_num(x + 4)}" y="{_num(y + ROW / 2 + 4)}" fill="{TEXT}">'
                     f'{escape(total_text(total))}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


# freshness states → colour and shape
STATES = {
    "fresh": (PALETTE[2], "circle"),
    "aging": (PALETTE[1], "diamond"),
    "stale": (PALETTE[5], "square"),
    "never": ("#8a8a8a", "ring"),
    "no_spider": ("#8a8a8a", "dashed"),
}


def _marker(shape: str, color: str, cx: float, cy: float, r: float) -> str:
    color = str(escape(color))
    if shape == "circle":
        return f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r)}" fill="{color}"/>'
    if shape == "diamond":
        return (f'<path d="M{_num(cx)} {_num(cy - r - 1)} L{_num(cx + r + 1)} {_num(cy)} L{_num(cx)} '
                f'{_num(cy + r + 1)} L{_num(cx - r - 1)} {_num(cy)} Z" fill="{color}"/>')
    if shape == "square":
        return (f'<rect x="{_num(cx - r)}" y="{_num(cy - r)}" width="{_num(2 * r)}" height="{_num(2 * r)}" '
                f'fill="{color}"/>')
    if shape == "ring":
        return (f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r - 0.75)}" fill="none" stroke="{color}" '
                f'stroke-width="1.5"/>')
    return (f'<rect x="{_num(cx - r + 0.75)}" y="{_num(cy - r + 0.75)}" width="{_num(2 * r - 1.5)}" '
            f'height="{_num(2 * r - 1.5)}" fill="none" stroke="{color}" stroke-width="1.5" stroke-dasharray="2 2"/>')


def freshness_chart(rows: Sequence[tuple[str, Sequence[tuple[str, str, str]]]], state_labels: dict[str, str], *,
                    chart_id: str, title: str, description: str, width: float = 640, empty: str = "—") -> Markup:
    """One line per country: each platform's name after a mark shaped and coloured by its state
    (rows of (country label, [(platform name, state, detail such as the age)]))."""
    if not rows:
        return _empty(chart_id, width, title, description, empty)
    legend, legend_height = _legend([(state_labels.get(s, s), *STATES[s]) for s in STATES], width, 0)
    room = _label_room([r[0] for r in rows], width * 0.8)
    placed: list[tuple[int, list[tuple[float, int, str, str, str]]]] = []   # lines used, marks (x, line, …)
    for _, marks in rows:
        x, line, laid = room, 0, []
        for name, state, detail in marks:
            shown = fit(name, width - room - 18)
            step = 18 + text_width(shown) + 12
            if x > room and x + step > width:
                x, line = room, line + 1
            laid.append((x, line, shown, state, detail))
            x += step
        placed.append((line + 1, laid))
    height = legend_height + sum(lines for lines, _ in placed) * ROW + GAP
    parts = _open(chart_id, width, height, title, description) + legend
    y = legend_height + GAP / 2
    for (label, marks), (lines, laid) in zip(rows, placed, strict=False):
        parts.append(f'<g class="country"><text x="{_num(room - GAP)}" y="{_num(y + ROW / 2 + 4)}" '
                     f'text-anchor="end" fill="{TEXT}"><title>{escape(label)}</title>'
                     f'{escape(fit(label, room - GAP))}</text>')
        for (x, line, shown, state, detail), (name, _, _) in zip(laid, marks, strict=False):
            color, shape = STATES.get(state, STATES["never"])
            cy = y + line * ROW + ROW / 2
            tip = f"{name}: {state_labels.get(state, state)}" + (f" · {detail}" if detail else "")
            parts.append(f'<g class="mark {escape(state)}"><title>{escape(tip)}</title>'
                         f'{_marker(shape, color, x + 6, cy, 6)}'
                         f'<text x="{_num(x + 16)}" y="{_num(cy + 4)}" fill="{TEXT}">{escape(shown)}</text></g>')
        parts.append("</g>")
        y += lines * ROW
    parts.append("</svg>")
    return Markup("".join(parts))
