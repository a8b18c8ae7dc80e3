"""Server-rendered SVG charts: the geometry, computed here; the markup lives in
`templates/portal/_charts.html` (one named partial per chart kind), so pages
and PDFs (WeasyPrint draws inline SVG) show the same chart.

No chart JavaScript, on purpose: the charts must work under the portal's
strict CSP, print in PDF/A, and carry their numbers as text. Every chart is
drawn with a `<title>`/`<desc>` and its partial also renders the data table
that is its accessible equivalent. The figures are few (one programme, a
few dozen bars or points), so a library would buy nothing but weight.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString

# The staircase's colours, step 0 (not started) to 6. A sequential blue
# scale; text on each colour meets WCAG AA (dark text on the light ones).
# Colours, dashes and coordinates are SafeStrings: nothing in them needs
# escaping, and a chart has hundreds of them for its template to print.
STEP_COLOURS = tuple(
    map(SafeString, ("#e8eef2", "#c6dbef", "#9ecae1", "#6baed6", "#2171b5", "#08519c", "#08306b"))
)
STEP_TEXT = tuple(
    map(SafeString, ("#1b1f24", "#1b1f24", "#1b1f24", "#1b1f24", "#ffffff", "#ffffff", "#ffffff"))
)
# Distinct series, with dash patterns so colour is never the only cue.
SERIES_COLOURS = tuple(
    map(SafeString, ("#00506b", "#b00020", "#1e6b34", "#8a4b00", "#5b2a86", "#4a5560", "#005a87"))
)
SERIES_DASHES = tuple(map(SafeString, ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4")))


def step_colour(step: int) -> str:
    return STEP_COLOURS[max(0, min(step, len(STEP_COLOURS) - 1))]


def step_text_colour(step: int) -> str:
    return STEP_TEXT[max(0, min(step, len(STEP_TEXT) - 1))]


def _num(value: float) -> str:
    """A coordinate, short: 12.0 → "12", 12.345 → "12.35"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return SafeString("0" if text == "-0" else text)


# Horizontal bars --------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # in the chart's scale (0 … scale_max)
    text: str  # the value as the table and the bar's label say it
    target: float | None = None  # a marker, in the same scale
    target_text: str = ""
    met: bool | None = None  # target met? None: no target


@dataclass(frozen=True)
class PlacedBar:
    bar: Bar
    y: str
    y_end: str
    width: str
    label_x: str
    label_y: str
    text_x: str
    target_x: str | None


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: tuple[PlacedBar, ...]
    width: int
    height: int
    plot_x: int
    plot_width: int
    bar_height: int
    scale_max: float
    scale_label: str
    ticks: tuple[tuple[str, str], ...]  # (x, label)
    value_heading: str
    target_heading: str

    @property
    def has_targets(self) -> bool:
        return any(b.bar.target is not None for b in self.bars)


def bar_chart(
    *,
    title: str,
    description: str,
    bars: Sequence[Bar],
    scale_max: float = 100.0,
    scale_label: str = "%",
    value_heading: str = "",
    target_heading: str = "",
    ticks: Sequence[float] = (0, 25, 50, 75, 100),
    label_width: int = 250,
    width: int = 640,
) -> BarChart:
    """Horizontal bars, one per row, with an optional target marker each."""
    bar_height, gap, top = 18, 10, 24
    plot_x, plot_width = label_width, width - label_width - 70
    scale = scale_max or 1.0
    placed = []
    for index, bar in enumerate(bars):
        y = top + index * (bar_height + gap)
        length = max(0.0, min(bar.value, scale)) / scale * plot_width
        target_x = (
            _num(plot_x + max(0.0, min(bar.target, scale)) / scale * plot_width)
            if bar.target is not None
            else None
        )
        placed.append(
            PlacedBar(
                bar=bar,
                y=_num(y),
                y_end=_num(y + bar_height),
                width=_num(length),
                label_x=_num(plot_x - 8),
                label_y=_num(y + bar_height * 0.72),
                text_x=_num(plot_x + length + 6),
                target_x=target_x,
            )
        )
    height = top + len(bars) * (bar_height + gap) + 8
    return BarChart(
        title=title,
        description=description,
        bars=tuple(placed),
        width=width,
        height=height,
        plot_x=plot_x,
        plot_width=plot_width,
        bar_height=bar_height,
        scale_max=scale,
        scale_label=scale_label,
        ticks=tuple((_num(plot_x + t / scale * plot_width), _num(t)) for t in ticks),
        value_heading=value_heading,
        target_heading=target_heading,
    )


# Stacked columns ----------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    key: int
    count: int
    y: str
    height: str
    colour: str


@dataclass(frozen=True)
class Column:
    label: str
    x: str
    label_x: str
    total: int
    segments: tuple[Segment, ...]
    counts: tuple[int, ...]  # per key, in key order, for the table


@dataclass(frozen=True)
class StackedChart:
    title: str
    description: str
    columns: tuple[Column, ...]
    keys: tuple[tuple[int, str, str], ...]  # (key, label, colour)
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    column_width: int
    y_ticks: tuple[tuple[str, str], ...]  # (y, label)


def stacked_chart(
    *,
    title: str,
    description: str,
    columns: Sequence[tuple[str, Sequence[int]]],
    keys: Sequence[tuple[int, str]],
    width: int = 640,
) -> StackedChart:
    """Columns of stacked counts: `columns` are (label, counts per key in
    `keys` order); segments are coloured by step (the keys are steps)."""
    plot_top, plot_bottom, left = 16, 200, 40
    plot_height = plot_bottom - plot_top
    peak = max((sum(counts) for _, counts in columns), default=0) or 1
    slot = (width - left - 10) / max(len(columns), 1)
    column_width = int(max(8, min(48, slot * 0.7)))
    placed = []
    for index, (label, counts) in enumerate(columns):
        x = left + index * slot + (slot - column_width) / 2
        y = float(plot_bottom)
        segments = []
        for (key, _label), count in zip(keys, counts, strict=True):
            if not count:
                continue
            h = count / peak * plot_height
            y -= h
            segments.append(Segment(key, count, _num(y), _num(h), step_colour(key)))
        placed.append(
            Column(
                label=label,
                x=_num(x),
                label_x=_num(x + column_width / 2),
                total=sum(counts),
                segments=tuple(segments),
                counts=tuple(counts),
            )
        )
    tick_values = sorted({0, peak // 2, peak})
    return StackedChart(
        title=title,
        description=description,
        columns=tuple(placed),
        keys=tuple((key, label, step_colour(key)) for key, label in keys),
        width=width,
        height=plot_bottom + 40,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        column_width=column_width,
        y_ticks=tuple(
            (_num(plot_bottom - v / peak * plot_height), SafeString(v)) for v in tick_values
        ),
    )


# Step lines over time -----------------------------------------------------------


@dataclass(frozen=True)
class Point:
    day: datetime.date
    value: int
    text: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class PlacedSeries:
    series: Series
    path: str
    dots: tuple[tuple[str, str, Point], ...]
    colour: str
    dash: str


@dataclass(frozen=True)
class StepLineChart:
    title: str
    description: str
    series: tuple[PlacedSeries, ...]
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    y_ticks: tuple[tuple[str, str], ...]
    x_ticks: tuple[tuple[str, str], ...]


def step_line_chart(
    *,
    title: str,
    description: str,
    series: Sequence[Series],
    y_max: int,
    start: datetime.date,
    end: datetime.date,
    width: int = 640,
) -> StepLineChart:
    """One step line per series: a value holds until the next point, then
    steps. x is time from `start` to `end`, y 0 … `y_max`."""
    left, right, top, bottom = 40, width - 16, 16, 180
    span = max((end - start).days, 1)

    def x_of(day: datetime.date) -> float:
        return left + (min(max((day - start).days, 0), span) / span) * (right - left)

    def y_of(value: int) -> float:
        return bottom - (value / (y_max or 1)) * (bottom - top)

    placed = []
    for index, one in enumerate(series):
        points = sorted(one.points, key=lambda p: p.day)
        if not points:
            continue
        commands = [f"M{_num(x_of(points[0].day))} {_num(y_of(points[0].value))}"]
        for previous, point in itertools.pairwise(points):
            commands.append(f"H{_num(x_of(point.day))}")
            if point.value != previous.value:
                commands.append(f"V{_num(y_of(point.value))}")
        commands.append(f"H{_num(x_of(end))}")
        placed.append(
            PlacedSeries(
                series=one,
                path=SafeString(" ".join(commands)),
                dots=tuple((_num(x_of(p.day)), _num(y_of(p.value)), p) for p in points),
                colour=SERIES_COLOURS[index % len(SERIES_COLOURS)],
                dash=SERIES_DASHES[index % len(SERIES_DASHES)],
            )
        )
    years = range(start.year + (start.month > 1 or start.day > 1), end.year + 1)
    return StepLineChart(
        title=title,
        description=description,
        series=tuple(placed),
        width=width,
        height=bottom + 30,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        y_ticks=tuple((_num(y_of(v)), SafeString(v)) for v in range(0, y_max + 1)),
        x_ticks=tuple((_num(x_of(datetime.date(y, 1, 1))), SafeString(y)) for y in years),
    )


def share(part: int, whole: int) -> float:
    """`part` of `whole` in per cent (0 when there is no whole)."""
    return 100.0 * part / whole if whole else 0.0


def as_float(value: Decimal | float | int | None) -> float:
    return float(value) if value is not None else 0.0
