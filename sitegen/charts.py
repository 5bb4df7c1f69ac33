"""Inline SVG charts made at build time: no script, a text title, values readable as text."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from sitegen.records import Results
from sitegen.text import format_number

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 24, 32
# Each colour keeps 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
PALETTE = ("#a4161a", "#1f5fa8", "#2e7d32", "#6a3d9a", "#8a5a00", "#00707a")


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
    """An SVG chart and its legend."""

    svg: str
    legend: tuple[LegendItem, ...]


def _nice_ceiling(value: float) -> float:
    """A round axis maximum at or above value: 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * power >= value)


def _frame(chart_id: str, title: str, description: str, body: list[str]) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        *body,
        "</svg>",
    ])


def _y_axis(maximum: float, fmt: Callable[[float], str], ticks: int = 5) -> list[str]:
    parts = []
    for i in range(ticks + 1):
        value = maximum * i / ticks
        y = TOP + (HEIGHT - TOP - BOTTOM) * (1 - i / ticks)
        parts.append(f'<line class="chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="chart__tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(fmt(value))}</text>')
    return parts


def _x_positions(count: int, band: bool) -> list[float]:
    span = WIDTH - LEFT - RIGHT
    if band:
        return [LEFT + span * (i + 0.5) / count for i in range(count)]
    return [LEFT + span * (0.5 if count == 1 else 0.04 + 0.92 * i / (count - 1)) for i in range(count)]


def _x_labels(labels: Sequence[str], xs: list[float]) -> list[str]:
    return [f'<text class="chart__label" x="{x:.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle">'
            f'{escape(label)}</text>' for label, x in zip(labels, xs, strict=True)]


def _runs(values: Sequence[float | None], xs: list[float], maximum: float) -> list[list[tuple[float, float]]]:
    """Stretches of consecutive values, as plot coordinates; gaps (None) split them."""
    plot = HEIGHT - TOP - BOTTOM
    runs: list[list[tuple[float, float]]] = [[]]
    for x, value in zip(xs, values, strict=True):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((x, TOP + plot * (1 - value / maximum)))
    return [run for run in runs if len(run) > 1]


def line_chart(chart_id: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series],
               fmt: Callable[[float], str]) -> Chart:
    """Lines over categorical x labels (years); every point carries its value as a tooltip title."""
    values = [v for s in series for v in s.values if v is not None]
    maximum = _nice_ceiling(max(values, default=0) * 1.05)
    xs = _x_positions(len(labels), band=False)
    plot = HEIGHT - TOP - BOTTOM
    body = _y_axis(maximum, fmt) + _x_labels(labels, xs)
    for index, line in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = [(x, TOP + plot * (1 - v / maximum), v, label)
                  for x, v, label in zip(xs, line.values, labels, strict=True) if v is not None]
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        for run in _runs(line.values, xs, maximum):  # a year without figures breaks the line
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            body.append(f'<polyline class="chart__line" fill="none" stroke="{colour}" stroke-width="3"{dash} '
                        f'points="{path}"/>')
        for x, y, value, label in points:
            body.append(f'<circle class="chart__point" cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">'
                        f'<title>{escape(line.name)}, {escape(label)}: {escape(fmt(value))}</title></circle>')
    legend = tuple(LegendItem(s.name, PALETTE[i % len(PALETTE)], s.dashed) for i, s in enumerate(series))
    return Chart(_frame(chart_id, title, description, body), legend)


def bar_chart(chart_id: str, title: str, description: str, labels: Sequence[str], stacks: Sequence[Stack],
              fmt: Callable[[float], str], maximum: float | None = None) -> Chart:
    """Stacked vertical bars, one per label; one rectangle per non-zero part, with its value as title."""
    totals = [sum(stack.values[i] for stack in stacks) for i in range(len(labels))]
    top = maximum or _nice_ceiling(max(totals, default=0) * 1.05)
    xs = _x_positions(len(labels), band=True)
    bar = min(56.0, (WIDTH - LEFT - RIGHT) / max(len(labels), 1) * 0.6)
    plot = HEIGHT - TOP - BOTTOM
    body = _y_axis(top, fmt) + _x_labels(labels, xs)
    for i, x in enumerate(xs):
        base = 0.0
        for index, stack in enumerate(stacks):
            value = stack.values[i]
            if value <= 0:
                continue
            y = TOP + plot * (1 - (base + value) / top)
            height = plot * value / top
            body.append(f'<rect class="chart__bar" x="{x - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                        f'height="{height:.1f}" fill="{PALETTE[index % len(PALETTE)]}">'
                        f'<title>{escape(stack.name)}, {escape(labels[i])}: {escape(fmt(value))}</title></rect>')
            base += value
        body.append(f'<text class="chart__value" x="{x:.1f}" y="{TOP + plot * (1 - base / top) - 6:.1f}" '
                    f'text-anchor="middle">{escape(fmt(totals[i]))}</text>')
    legend = tuple(LegendItem(s.name, PALETTE[i % len(PALETTE)], False) for i, s in enumerate(stacks))
    return Chart(_frame(chart_id, title, description, body), legend if len(stacks) > 1 else ())


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
            [Stack(c.title, tuple(float(v) for v in c.by_year)) for c in table.campaigns], _millions)
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
