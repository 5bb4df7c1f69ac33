"""Inline SVG charts made at build time: no script, a text title, values readable as text."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from sitegen.records import Results
from sitegen.text import format_number

# Charts are drawn in CSS pixels, never scaled by a viewBox, so their text stays 12–13 px on a 320 px
# phone and on a desktop alike. The plot stretches with the page: x positions are percentages of its
# width (lines are drawn segment by segment, since SVG points cannot be percentages), y positions and
# every size are pixels. The y-axis labels sit in a narrow SVG of their own beside the plot.
HEIGHT = 280
TOP, BOTTOM = 22, 30
AXIS_WIDTH = 52
# Each colour keeps 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
PALETTE = ("#a4161a", "#1f5fa8", "#2e7d32", "#6a3d9a", "#8a5a00", "#00707a")
_SVG = 'xmlns="http://www.w3.org/2000/svg"'


@dataclass(frozen=True)
class Series:
    """A named line: one value (or None for a gap) per x label."""

    name: str
    values: tuple[float | None, ...]
    dashed: bool = False


@dataclass(frozen=True)
class Stack:
    """One part of every stacked bar (e.g. a campaign), one value per category."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class LegendItem:
    """A colour key shown as HTML next to the chart (it wraps on phones; SVG text does not)."""

    name: str
    colour: str
    dashed: bool


@dataclass(frozen=True)
class Chart:
    """A chart as HTML (an axis SVG beside a plot SVG that carries the title) and its legend."""

    svg: str
    legend: tuple[LegendItem, ...]


def _nice_ceiling(value: float) -> float:
    """A round axis maximum at or above value: 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * power >= value)


def _y(value: float, maximum: float) -> float:
    """Pixel height of a value in the plot."""
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / maximum)


def _frame(chart_id: str, title: str, description: str, maximum: float, fmt: Callable[[float], str],
           body: list[str], ticks: int = 5) -> str:
    axis = [f'<svg {_SVG} class="chart__axis" width="{AXIS_WIDTH}" height="{HEIGHT}" aria-hidden="true" '
            f'focusable="false">']
    grid = []
    for i in range(ticks + 1):
        y = _y(maximum * i / ticks, maximum)
        axis.append(f'<text class="chart__tick" x="{AXIS_WIDTH - 6}" y="{y + 4:.1f}" text-anchor="end">'
                    f'{escape(fmt(maximum * i / ticks))}</text>')
        grid.append(f'<line class="chart__grid" x1="0" x2="100%" y1="{y:.1f}" y2="{y:.1f}"/>')
    axis.append("</svg>")
    plot = [f'<svg {_SVG} class="chart__plot" width="100%" height="{HEIGHT}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
            *grid, *body, "</svg>"]
    return "\n".join(['<div class="chart">', *axis, *plot, "</div>"])


def _x_positions(count: int, band: bool) -> list[float]:
    """Percentages of the plot width at which each label sits."""
    if band:
        return [100 * (i + 0.5) / count for i in range(count)]
    return [50.0 if count == 1 else 6 + 88 * i / (count - 1) for i in range(count)]


def _x_labels(labels: Sequence[str], xs: list[float]) -> list[str]:
    return [f'<text class="chart__label" x="{x:.2f}%" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle">'
            f'{escape(label)}</text>' for label, x in zip(labels, xs, strict=True)]


def _runs(values: Sequence[float | None], xs: list[float], maximum: float) -> list[list[tuple[float, float]]]:
    """Stretches of consecutive values as (x %, y px); gaps (None) split them."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, value in zip(xs, values, strict=True):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((x, _y(value, maximum)))
    return [run for run in runs if len(run) > 1]


def line_chart(chart_id: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series],
               fmt: Callable[[float], str]) -> Chart:
    """Lines over categorical x labels (years); every point carries its value as a tooltip title."""
    values = [v for s in series for v in s.values if v is not None]
    maximum = _nice_ceiling(max(values, default=0) * 1.05)
    xs = _x_positions(len(labels), band=False)
    body = _x_labels(labels, xs)
    for index, line in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        for run in _runs(line.values, xs, maximum):  # a year without figures breaks the line
            segments = "".join(f'<line x1="{x1:.2f}%" y1="{y1:.1f}" x2="{x2:.2f}%" y2="{y2:.1f}"/>'
                               for (x1, y1), (x2, y2) in itertools.pairwise(run))
            body.append(f'<g class="chart__line" fill="none" stroke="{colour}" stroke-width="3" '
                        f'stroke-linecap="round"{dash}>{segments}</g>')
        for x, value, label in zip(xs, line.values, labels, strict=True):
            if value is not None:
                body.append(f'<circle class="chart__point" cx="{x:.2f}%" cy="{_y(value, maximum):.1f}" r="4.5" '
                            f'fill="{colour}"><title>{escape(line.name)}, {escape(label)}: '
                            f'{escape(fmt(value))}</title></circle>')
    legend = tuple(LegendItem(s.name, PALETTE[i % len(PALETTE)], s.dashed) for i, s in enumerate(series))
    return Chart(_frame(chart_id, title, description, maximum, fmt, body), legend)


def bar_chart(chart_id: str, title: str, description: str, labels: Sequence[str], stacks: Sequence[Stack],
              fmt: Callable[[float], str], maximum: float | None = None,
              value_fmt: Callable[[float], str] | None = None) -> Chart:
    """Stacked vertical bars, one per label; one rectangle per non-zero part, with its value as title."""
    totals = [sum(stack.values[i] for stack in stacks) for i in range(len(labels))]
    top = maximum or _nice_ceiling(max(totals, default=0) * 1.05)
    xs = _x_positions(len(labels), band=True)
    bar = 100 / max(len(labels), 1) * 0.56  # percent of the plot width
    body = _x_labels(labels, xs)
    for i, x in enumerate(xs):
        base = 0.0
        for index, stack in enumerate(stacks):
            value = stack.values[i]
            if value <= 0:
                continue
            y = _y(base + value, top)
            height = _y(base, top) - y
            body.append(f'<rect class="chart__bar" x="{x - bar / 2:.2f}%" y="{y:.1f}" width="{bar:.2f}%" '
                        f'height="{height:.1f}" fill="{PALETTE[index % len(PALETTE)]}">'
                        f'<title>{escape(stack.name)}, {escape(labels[i])}: {escape(fmt(value))}</title></rect>')
            base += value
        body.append(f'<text class="chart__value" x="{x:.2f}%" y="{_y(base, top) - 6:.1f}" '
                    f'text-anchor="middle">{escape((value_fmt or fmt)(totals[i]))}</text>')
    legend = tuple(LegendItem(s.name, PALETTE[i % len(PALETTE)], False) for i, s in enumerate(stacks))
    return Chart(_frame(chart_id, title, description, top, fmt, body), legend if len(stacks) > 1 else ())


@dataclass(frozen=True)
class ResultCharts:
    """The charts of the results page."""

    poverty: Chart | None
    contributions: Chart | None
    rural: Chart | None


def _percent(value: float) -> str:
    return f"{format_number(value, 1)}%"


def _millions(value: float) -> str:
    return f"{format_number(value / 1_000_000, 1 if value % 1_000_000 else 0)} tr"


def result_charts(results: Results, prefix: str = "bieu-do") -> ResultCharts:
    """Charts for the poverty rate against the target path, contributions and rural criteria."""
    records = results.records
    poverty = None
    if results.poverty:
        years = list(range(records.start_year, records.end_year + 1))
        by_year = {f.year: f for f in results.poverty}
        series = [Series("Tỷ lệ hộ nghèo (%)", tuple(by_year[y].rate if y in by_year else None for y in years))]
        if any(f.minority_rate is not None for f in results.poverty):
            series.append(Series("Tỷ lệ hộ nghèo DTTS (%)", tuple(
                by_year[y].minority_rate if y in by_year else None for y in years)))
        drop = next((s.target.value for s in results.targets
                     if s.target.measure == "poverty_rate_drop_per_year"), None)
        first = results.poverty[0]
        if drop is not None:
            series.append(Series(f"Lộ trình mục tiêu (giảm {format_number(drop, 1)} điểm %/năm)", tuple(
                max(first.rate - drop * (y - first.year), 0.0) if y >= first.year else None for y in years),
                dashed=True))
        poverty = line_chart(f"{prefix}-ho-ngheo", "Tỷ lệ hộ nghèo qua các năm so với lộ trình mục tiêu",
                             "Biểu đồ đường; số liệu chi tiết ở bảng bên dưới.", [str(y) for y in years],
                             series, _percent)
    table = results.contributions
    contributions = None
    if table.years:
        contributions = bar_chart(
            f"{prefix}-dong-gop", "Số tiền đóng góp theo năm và cuộc vận động (triệu đồng)",
            "Biểu đồ cột chồng; số liệu chi tiết ở bảng bên dưới.", [str(y) for y in table.years],
            [Stack(c.title, tuple(float(v) for v in c.by_year)) for c in table.campaigns], _millions,
            value_fmt=lambda v: format_number(v / 1_000_000, 1 if v % 1_000_000 else 0))  # the title names the unit
    rural = None
    if results.rural:
        total = results.rural[0].total
        rural = bar_chart(
            f"{prefix}-nong-thon-moi", f"Số tiêu chí nông thôn mới {records.rural.commune if records.rural else ''} "
                                       f"đạt theo năm (trên {total} tiêu chí)",
            "Biểu đồ cột; số liệu chi tiết ở bảng bên dưới.", [str(p.year) for p in results.rural],
            [Stack("Số tiêu chí đạt", tuple(float(p.count) for p in results.rural))],
            lambda v: format_number(v), maximum=float(math.ceil(total / 5) * 5))  # ticks on whole numbers
    return ResultCharts(poverty, contributions, rural)
