"""Charts drawn on the server as inline SVG: horizontal bars, stacked columns over time and a
heat map. No JavaScript and no library, so they show in print and in the PDF as on screen.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``
(``aria-labelledby``); the figures themselves stand in a table next to it, which is what a
screen reader reads. The ``viewBox`` lets a chart shrink to a phone's width. Colours are
presentation attributes, not CSS classes, because WeasyPrint draws SVG without the page's
stylesheet. Every text is escaped here; the callers pass plain strings.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1d2a22"
MUTED = "#4a5a50"
GRID = "#c9c4b6"
COLOURS = ("#2f6f3e", "#b3470b", "#3b5f8a", "#7a5c99")
EMPTY = "#ffffff"
FONT = 'font-family="DejaVu Sans, system-ui, sans-serif"'
LABEL_CHARS = 26


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the length drawn
    text: str  # the figure written at its end, formatted for the reader


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]  # one per column
    texts: Sequence[str]  # the same, formatted (a bar's tooltip)


def _n(value: float) -> str:
    """A coordinate: always a dot, whatever the page's language."""
    return f"{value:.1f}"


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _frame(key: str, title: str, description: str, width: float, height: float, body: str) -> str:
    return (
        f'<svg class="chart" id="chart-{escape(key)}" role="img" '
        f'aria-labelledby="chart-{escape(key)}-title chart-{escape(key)}-desc" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f'<title id="chart-{escape(key)}-title">{escape(title)}</title>'
        f'<desc id="chart-{escape(key)}-desc">{escape(description)}</desc>{body}</svg>'
    )


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round steps from 0 to at least ``maximum`` (1, 2 or 5 times a power of ten)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    top = math.ceil(maximum / step - 1e-9) * step
    return [round(i * step, 10) for i in range(round(top / step) + 1)]


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    maximum: float | None = None,
    colour: str = COLOURS[0],
) -> SafeString:
    """One horizontal bar per item, labelled at the start and with its figure at the end."""
    width, label_w, text_w, row, pad = 560.0, 200.0, 70.0, 26.0, 8.0
    plot_w = width - label_w - text_w
    top = max([maximum or 0.0, *(b.value for b in bars)]) or 1.0
    parts = []
    for index, bar in enumerate(bars):
        y = pad + index * row
        length = plot_w * max(bar.value, 0.0) / top
        parts.append(
            f'<g class="bar-row"><title>{escape(bar.label)}: {escape(bar.text)}</title>'
            f'<text x="{_n(label_w - 6)}" y="{_n(y + row / 2 + 5)}" text-anchor="end" '
            f'font-size="13" fill="{INK}">{escape(_short(bar.label))}</text>'
            f'<rect class="bar" x="{_n(label_w)}" y="{_n(y + 4)}" width="{_n(length)}" '
            f'height="{_n(row - 8)}" fill="{colour}"/>'
            f'<text x="{_n(label_w + length + 5)}" y="{_n(y + row / 2 + 5)}" font-size="13" '
            f'fill="{INK}">{escape(bar.text)}</text></g>'
        )
    height = pad * 2 + max(len(bars), 1) * row
    axis = (
        f'<line x1="{_n(label_w)}" y1="{_n(pad)}" x2="{_n(label_w)}" y2="{_n(height - pad)}" '
        f'stroke="{MUTED}"/>'
    )
    return mark_safe(_frame(key, title, description, width, height, axis + "".join(parts)))  # noqa: S308  (escaped above)


def column_chart(
    *,
    key: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    tick_text: Callable[[float], str],
    maximum: float | None = None,
) -> SafeString:
    """Columns over time, the series stacked, with a legend when there is more than one."""
    width, height, left, right, top_pad, bottom = 600.0, 260.0, 56.0, 8.0, 12.0, 40.0
    legend = 22.0 if len(series) > 1 else 0.0
    plot_w, plot_h = width - left - right, height - top_pad - bottom - legend
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    ticks = nice_ticks(max([maximum or 0.0, *totals, 0.0]))
    ceiling = ticks[-1] or 1.0
    base_y = top_pad + legend + plot_h
    parts = []
    for tick in ticks:
        y = base_y - plot_h * tick / ceiling
        parts.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - right)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_n(left - 5)}" y="{_n(y + 4)}" text-anchor="end" font-size="12" '
            f'fill="{MUTED}">{escape(tick_text(tick))}</text>'
        )
    slot = plot_w / max(len(labels), 1)
    column_w = max(min(slot * 0.7, 40.0), 1.0)
    every = max(1, math.ceil(len(labels) / 12))
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - column_w) / 2
        stacked = 0.0
        for s_index, one in enumerate(series):
            value = max(one.values[i], 0.0)
            h = plot_h * value / ceiling
            y = base_y - plot_h * (stacked + value) / ceiling
            parts.append(
                f'<rect class="bar" x="{_n(x)}" y="{_n(y)}" width="{_n(column_w)}" '
                f'height="{_n(h)}" fill="{COLOURS[s_index % len(COLOURS)]}">'
                f"<title>{escape(label)}, {escape(one.label)}: {escape(one.texts[i])}</title>"
                "</rect>"
            )
            stacked += value
        if i % every == 0:
            parts.append(
                f'<text x="{_n(left + i * slot + slot / 2)}" y="{_n(base_y + 16)}" '
                f'text-anchor="middle" font-size="12" fill="{MUTED}">{escape(label)}</text>'
            )
    parts.append(
        f'<line x1="{_n(left)}" y1="{_n(base_y)}" x2="{_n(width - right)}" y2="{_n(base_y)}" '
        f'stroke="{MUTED}"/>'
    )
    if legend:
        x = left
        for s_index, one in enumerate(series):
            parts.append(
                f'<rect x="{_n(x)}" y="2" width="12" height="12" '
                f'fill="{COLOURS[s_index % len(COLOURS)]}"/>'
                f'<text x="{_n(x + 16)}" y="12" font-size="12" fill="{INK}">'
                f"{escape(one.label)}</text>"
            )
            x += 24 + 7.5 * len(one.label)
    return mark_safe(_frame(key, title, description, width, height, "".join(parts)))  # noqa: S308  (escaped above)


def heat_colour(share: float | None) -> str:
    """White for no open hours; from a pale to a dark green as the share rises to 100 %."""
    if share is None:
        return EMPTY
    t = min(max(share, 0.0), 1.0)
    low, high = (0xEC, 0xF3, 0xE8), (0x1F, 0x4F, 0x2B)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high, strict=True))


def heat_map(
    *,
    key: str,
    title: str,
    description: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    texts: Sequence[Sequence[str]],
) -> SafeString:
    """A grid of cells (rows × columns), darker the higher the value (a share, 0–1)."""
    left, top, cell = 40.0, 22.0, 22.0
    width = left + cell * max(len(columns), 1) + 4
    height = top + cell * max(len(rows), 1) + 4
    parts = []
    every = 1 if len(columns) <= 14 else 2
    for c, label in enumerate(columns):
        if c % every == 0:
            parts.append(
                f'<text x="{_n(left + c * cell + cell / 2)}" y="{_n(top - 6)}" '
                f'text-anchor="middle" font-size="11" fill="{MUTED}">{escape(label)}</text>'
            )
    for r, label in enumerate(rows):
        y = top + r * cell
        parts.append(
            f'<text x="{_n(left - 5)}" y="{_n(y + cell / 2 + 4)}" text-anchor="end" '
            f'font-size="12" fill="{INK}">{escape(label)}</text>'
        )
        for c in range(len(columns)):
            parts.append(
                f'<rect class="cell" x="{_n(left + c * cell)}" y="{_n(y)}" '
                f'width="{_n(cell - 2)}" height="{_n(cell - 2)}" '
                f'fill="{heat_colour(values[r][c])}" stroke="{GRID}" stroke-width="0.5">'
                f"<title>{escape(label)} {escape(columns[c])}: {escape(texts[r][c])}</title>"
                "</rect>"
            )
    return mark_safe(_frame(key, title, description, width, height, "".join(parts)))  # noqa: S308  (escaped above)
