"""The server-rendered SVG charts (portal/dashboards/charts.py and portal/_charts.html):
the geometry says what the numbers say, and each chart carries its numbers as
text — a titled, described SVG and a data table with every value."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from portal.dashboards import charts

SVG = "{http://www.w3.org/2000/svg}"


def _bars(*values: float, **kwargs) -> charts.BarChart:
    return charts.bar_chart(
        title="Andel",
        description="Andel per huvudman",
        bars=[
            charts.Bar(label=f"Kommun {i}", value=v, text=f"{v} %") for i, v in enumerate(values)
        ],
        **kwargs,
    )


def _svg(html: str) -> ET.Element:
    """The chart's <svg> element, parsed as the XML it must be (PDFs embed it)."""
    match = re.search(r"<svg class=\"chart__svg\".*?</svg>", html, re.S)
    assert match, html
    return ET.fromstring(match.group(0))  # noqa: S314  # our own markup, not untrusted input


class _Cells(HTMLParser):
    """The text of every table cell (th and td), row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.in_table = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.in_table = True
        elif tag == "tr" and self.in_table:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.rows


# Horizontal bars -------------------------------------------------------------


def test_bar_lengths_are_proportional_to_the_values():
    chart = _bars(25, 50, 100)
    widths = [float(placed.width) for placed in chart.bars]
    assert chart.plot_width == 320  # 640 wide, 250 for the labels, 70 for the value texts
    assert widths == [80, 160, 320]


def test_bar_lengths_are_clamped_to_the_scale():
    chart = _bars(-10, 0, 150, scale_max=100)
    assert [placed.width for placed in chart.bars] == ["0", "0", "320"]


def test_bar_scale_can_be_other_than_per_cent():
    chart = _bars(75, 150, scale_max=150)
    assert [float(placed.width) for placed in chart.bars] == [160, 320]


def test_a_zero_scale_does_not_divide_by_zero():
    chart = _bars(0, 1, scale_max=0)
    assert [placed.width for placed in chart.bars] == ["0", "320"]


def test_the_value_text_follows_the_end_of_its_bar():
    chart = _bars(50)
    placed = chart.bars[0]
    assert float(placed.text_x) == chart.plot_x + float(placed.width) + 6


def test_bars_are_stacked_in_rows_and_the_chart_grows_with_them():
    one, three = _bars(10), _bars(10, 20, 30)
    assert [placed.y for placed in three.bars] == ["24", "52", "80"]
    assert [placed.y_end for placed in three.bars] == ["42", "70", "98"]
    assert three.height - one.height == 2 * 28


def test_target_marker_sits_at_the_target_on_the_same_scale():
    chart = charts.bar_chart(
        title="Mål",
        description="",
        bars=[
            charts.Bar(label="A", value=60, text="60 %", target=100, target_text="80"),
            charts.Bar(label="B", value=60, text="60 %", target=200, target_text="80"),
            charts.Bar(label="C", value=60, text="60 %"),
        ],
        scale_max=150,
    )
    a, b, c = chart.bars
    assert float(a.target_x) == pytest.approx(250 + 100 / 150 * 320, abs=0.01)
    assert float(b.target_x) == 250 + 320  # clamped to the end of the scale
    assert c.target_x is None
    assert chart.has_targets
    assert not _bars(10).has_targets


def test_bar_ticks_are_placed_on_the_scale_and_labelled():
    chart = _bars(10)
    assert chart.ticks == (
        ("250", "0"),
        ("330", "25"),
        ("410", "50"),
        ("490", "75"),
        ("570", "100"),
    )
    wide = _bars(10, scale_max=150, ticks=(0, 50, 100, 150))
    assert [label for _x, label in wide.ticks] == ["0", "50", "100", "150"]
    assert float(wide.ticks[2][0]) == pytest.approx(250 + 100 / 150 * 320, abs=0.01)


# Stacked columns -------------------------------------------------------------

KEYS = [(0, "Inget steg"), (1, "Steg 1"), (2, "Steg 2"), (5, "Steg 5")]


def _stacked(columns) -> charts.StackedChart:
    return charts.stacked_chart(
        title="Steg per kvartal", description="Antal per steg", columns=columns, keys=KEYS
    )


def test_stacked_segments_add_up_to_the_column_height():
    chart = _stacked([("2025 K1", [1, 2, 0, 1]), ("2025 K2", [0, 1, 0, 1])])
    plot_height = chart.plot_bottom - chart.plot_top
    tall, short = chart.columns
    assert tall.total == 4 and short.total == 2
    # The tallest column fills the plot; the other is in proportion.
    assert sum(float(s.height) for s in tall.segments) == pytest.approx(plot_height, abs=0.05)
    assert sum(float(s.height) for s in short.segments) == pytest.approx(plot_height / 2, abs=0.05)
    assert [float(s.height) for s in tall.segments] == pytest.approx(
        [plot_height / 4, plot_height / 2, plot_height / 4], abs=0.01
    )


def test_stacked_segments_stack_upwards_from_the_baseline_without_gaps():
    chart = _stacked([("2025 K1", [1, 2, 0, 1])])
    segments = chart.columns[0].segments
    bottom = float(chart.plot_bottom)
    for segment in segments:
        assert float(segment.y) + float(segment.height) == pytest.approx(bottom, abs=0.02)
        bottom = float(segment.y)
    assert bottom == pytest.approx(chart.plot_top, abs=0.02)


def test_stacked_segments_are_coloured_by_step_and_empty_counts_are_left_out():
    chart = _stacked([("2025 K1", [1, 2, 0, 1])])
    segments = chart.columns[0].segments
    assert [s.key for s in segments] == [0, 1, 5]
    assert [s.colour for s in segments] == [
        charts.STEP_COLOURS[0],
        charts.STEP_COLOURS[1],
        charts.STEP_COLOURS[5],
    ]
    assert chart.keys == tuple((key, label, charts.STEP_COLOURS[key]) for key, label in KEYS)
    # The table keeps every count, zeros too.
    assert chart.columns[0].counts == (1, 2, 0, 1)


def test_stacked_ticks_run_from_zero_to_the_peak():
    chart = _stacked([("a", [1, 2, 0, 1]), ("b", [0, 0, 0, 0])])
    labels = [label for _y, label in chart.y_ticks]
    assert labels == ["0", "2", "4"]
    ys = {label: float(y) for y, label in chart.y_ticks}
    assert ys["0"] == chart.plot_bottom
    assert ys["4"] == chart.plot_top
    assert chart.columns[1].segments == ()


def test_stacked_chart_without_columns_or_counts_draws_nothing_and_does_not_fail():
    assert _stacked([]).columns == ()
    empty = _stacked([("a", [0, 0, 0, 0])])
    assert empty.columns[0].segments == ()


def test_stacked_counts_must_match_the_keys():
    with pytest.raises(ValueError):
        _stacked([("a", [1, 2])])


def test_stacked_columns_are_spread_over_the_width_in_order():
    chart = _stacked([(f"K{n}", [1, 0, 0, 0]) for n in range(4)])
    xs = [float(column.x) for column in chart.columns]
    assert xs == sorted(xs)
    assert xs[0] >= 40
    assert xs[-1] + chart.column_width <= chart.width


def test_step_colours_are_clamped_to_the_staircase():
    assert charts.step_colour(-1) == charts.STEP_COLOURS[0]
    assert charts.step_colour(99) == charts.STEP_COLOURS[-1]
    assert charts.step_text_colour(6) == "#ffffff"
    assert charts.step_text_colour(0) == "#1b1f24"


# Step lines ------------------------------------------------------------------

JAN_2024 = datetime.date(2024, 1, 1)
JAN_2025 = datetime.date(2025, 1, 1)


def _steps(*series_points, start=JAN_2024, end=JAN_2025, y_max=6) -> charts.StepLineChart:
    return charts.step_line_chart(
        title="Trappan",
        description="Steg över tid",
        series=[
            charts.Series(label=f"Verksamhet {i}", points=tuple(charts.Point(d, v) for d, v in pts))
            for i, pts in enumerate(series_points)
        ],
        y_max=y_max,
        start=start,
        end=end,
    )


def _x(chart: charts.StepLineChart, day: datetime.date, start=JAN_2024, end=JAN_2025) -> float:
    share = (day - start).days / (end - start).days
    return chart.plot_left + share * (chart.plot_right - chart.plot_left)


def _y(chart: charts.StepLineChart, value: int, y_max=6) -> float:
    return chart.plot_bottom - value / y_max * (chart.plot_bottom - chart.plot_top)


def _commands(path: str) -> list[tuple[str, list[float]]]:
    return [
        (c, [float(n) for n in args.split()]) for c, args in re.findall(r"([MHV])([^MHV]*)", path)
    ]


def test_step_line_holds_its_value_until_the_next_point_then_steps():
    july = datetime.date(2024, 7, 1)
    chart = _steps([(JAN_2024, 1), (july, 3)])
    commands = _commands(chart.series[0].path)
    assert [c for c, _ in commands] == ["M", "H", "V", "H"]
    (_, (x0, y0)), (_, (x1,)), (_, (y1,)), (_, (x_end,)) = commands
    assert x0 == chart.plot_left and y0 == pytest.approx(_y(chart, 1), abs=0.01)
    # Horizontal at step 1 until July, then up to step 3, then on to the end.
    assert x1 == pytest.approx(_x(chart, july), abs=0.01)
    assert y1 == pytest.approx(_y(chart, 3), abs=0.01)
    assert x_end == chart.plot_right


def test_step_line_does_not_step_when_the_value_stays():
    chart = _steps([(JAN_2024, 2), (datetime.date(2024, 4, 1), 2), (datetime.date(2024, 8, 1), 1)])
    assert [c for c, _ in _commands(chart.series[0].path)] == ["M", "H", "H", "V", "H"]


def test_step_line_sorts_its_points_by_day():
    march, sept = datetime.date(2024, 3, 1), datetime.date(2024, 9, 1)
    chart = _steps([(sept, 4), (march, 2)])
    (_, (x0, y0)), *_rest = _commands(chart.series[0].path)
    assert x0 == pytest.approx(_x(chart, march), abs=0.01)
    assert y0 == pytest.approx(_y(chart, 2), abs=0.01)
    assert [dot[2].value for dot in chart.series[0].dots] == [2, 4]


def test_step_line_points_outside_the_period_are_clamped_to_its_edges():
    chart = _steps([(datetime.date(2023, 6, 1), 1), (datetime.date(2026, 1, 1), 2)])
    xs = [float(x) for x, _y, _p in chart.series[0].dots]
    assert xs == [chart.plot_left, chart.plot_right]


def test_step_line_ticks_label_each_step_and_each_new_year():
    chart = _steps([(JAN_2024, 1)])
    assert [label for _y, label in chart.y_ticks] == ["0", "1", "2", "3", "4", "5", "6"]
    assert float(chart.y_ticks[0][0]) == chart.plot_bottom
    assert float(chart.y_ticks[-1][0]) == chart.plot_top
    assert [label for _x, label in chart.x_ticks] == ["2024", "2025"]
    assert float(chart.x_ticks[0][0]) == chart.plot_left
    assert float(chart.x_ticks[1][0]) == chart.plot_right
    # A period starting mid-year labels only the years that begin inside it.
    later = _steps([(JAN_2024, 1)], start=datetime.date(2024, 3, 1), end=datetime.date(2025, 6, 1))
    assert [label for _x, label in later.x_ticks] == ["2025"]


def test_each_series_has_its_own_colour_and_dash_and_empty_series_are_left_out():
    chart = _steps([(JAN_2024, 1)], [], [(JAN_2024, 2)])
    assert [s.series.label for s in chart.series] == ["Verksamhet 0", "Verksamhet 2"]
    first, second = chart.series
    assert first.colour != second.colour
    assert first.dash != second.dash


def test_share_is_a_percentage_and_zero_without_a_whole():
    assert charts.share(1, 4) == 25.0
    assert charts.share(3, 3) == 100.0
    assert charts.share(3, 0) == 0.0
    assert charts.as_float(None) == 0.0


# The partials ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english():
    """The partials' own words in English (the source strings), so the tests
    read the markup rather than the current translation."""
    with translation.override("en"):
        yield


HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _assert_titled_svg(html: str, chart_id: str, title: str, description: str) -> ET.Element:
    svg = _svg(html)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert svg.find(f"{SVG}title").get("id") == f"{chart_id}-title"
    assert svg.find(f"{SVG}title").text == title
    assert svg.find(f"{SVG}desc").get("id") == f"{chart_id}-desc"
    assert svg.find(f"{SVG}desc").text == description
    return svg


def test_bar_chart_partial_draws_a_titled_svg_and_a_table_of_every_value():
    chart = charts.bar_chart(
        title="Indikatorer",
        description="Andel av målet",
        bars=[
            charts.Bar(label="Andel med plan", value=90, text="90 %", target=100, target_text="80"),
            charts.Bar(
                label="Antal BBA", value=40, text="40 %", target=100, target_text="10", met=False
            ),
        ],
        scale_max=150,
        value_heading="Andel av målet",
        target_heading="Mål",
    )
    html = render_to_string("portal/_charts.html#bar_chart", {"chart": chart, "id": "c1"})
    svg = _assert_titled_svg(html, "c1", "Indikatorer", "Andel av målet")
    rects = svg.findall(f".//{SVG}rect")
    assert [r.get("width") for r in rects] == [b.width for b in chart.bars]
    assert rects[1].get("fill") != rects[0].get("fill")  # a missed target looks different
    assert len(svg.findall(f".//{SVG}g/{SVG}line")) == 2  # the targets
    assert table_rows(html) == [
        ["Name", "Andel av målet", "Mål"],
        ["Andel med plan", "90 %", "80"],
        ["Antal BBA", "40 %", "10"],
    ]
    assert 'id="c1-caption"' in html


def test_bar_chart_partial_without_bars_draws_no_svg_but_says_so():
    chart = charts.bar_chart(title="Tomt", description="", bars=[])
    html = render_to_string("portal/_charts.html#bar_chart", {"chart": chart, "id": "c2"})
    assert "<svg" not in html
    assert table_rows(html)[-1] == ["No values yet."]


def test_stacked_chart_partial_draws_a_titled_svg_and_a_table_of_every_count():
    chart = _stacked([("2025 K1", [1, 2, 0, 1]), ("2025 K2", [0, 1, 0, 3])])
    html = render_to_string("portal/_charts.html#stacked_chart", {"chart": chart, "id": "c3"})
    svg = _assert_titled_svg(html, "c3", "Steg per kvartal", "Antal per steg")
    fills = [r.get("fill") for r in svg.findall(f".//{SVG}rect")]
    assert fills == [s.colour for c in chart.columns for s in c.segments]
    assert table_rows(html) == [
        ["Period", "Inget steg", "Steg 1", "Steg 2", "Steg 5", "Total"],
        ["2025 K1", "1", "2", "0", "1", "4"],
        ["2025 K2", "0", "1", "0", "3", "4"],
    ]
    # The legend names every step (its swatch colour comes from the CSS).
    assert all(label in html for _key, label in KEYS)


def test_step_line_chart_partial_draws_a_titled_svg_and_a_table_of_every_point():
    chart = charts.step_line_chart(
        title="Trappan",
        description="Steg över tid",
        series=[
            charts.Series(
                label="Huvudmannen som helhet",
                points=(
                    charts.Point(datetime.date(2024, 6, 30), 1, "Starta"),
                    charts.Point(datetime.date(2024, 12, 31), 3, "Genomföra"),
                ),
            ),
            charts.Series(
                label="Grundskolan", points=(charts.Point(datetime.date(2024, 6, 30), 2),)
            ),
        ],
        y_max=6,
        start=JAN_2024,
        end=JAN_2025,
    )
    html = render_to_string("portal/_charts.html#step_line_chart", {"chart": chart, "id": "c4"})
    svg = _assert_titled_svg(html, "c4", "Trappan", "Steg över tid")
    paths = svg.findall(f".//{SVG}path")
    assert [p.get("d") for p in paths] == [s.path for s in chart.series]
    assert len(svg.findall(f".//{SVG}circle")) == 3
    assert table_rows(html) == [
        ["Assessed", "Date", "Step"],
        ["Huvudmannen som helhet", "2024-06-30", "1 Starta"],
        ["Huvudmannen som helhet", "2024-12-31", "3 Genomföra"],
        ["Grundskolan", "2024-06-30", "2"],
    ]


def test_step_line_chart_partial_without_points_says_so():
    chart = _steps([])
    html = render_to_string("portal/_charts.html#step_line_chart", {"chart": chart, "id": "c5"})
    assert "<svg" not in html
    assert table_rows(html)[-1] == ["No approved self-assessment yet."]


def test_the_table_can_be_shown_unfolded_for_pdfs():
    chart = _bars(10)
    folded = render_to_string("portal/_charts.html#bar_chart", {"chart": chart, "id": "c"})
    unfolded = render_to_string(
        "portal/_charts.html#bar_chart", {"chart": chart, "id": "c", "table_open": True}
    )
    assert '<details class="chart__table">' in folded
    assert '<details class="chart__table" open>' in unfolded


@pytest.mark.parametrize("kind", ["bar_chart", "stacked_chart", "step_line_chart"])
def test_hostile_labels_and_titles_are_escaped(kind):
    if kind == "bar_chart":
        chart = charts.bar_chart(
            title=HOSTILE,
            description=HOSTILE,
            bars=[
                charts.Bar(label=HOSTILE, value=10, text=HOSTILE, target=20, target_text=HOSTILE)
            ],
        )
    elif kind == "stacked_chart":
        chart = charts.stacked_chart(
            title=HOSTILE, description=HOSTILE, columns=[(HOSTILE, [1])], keys=[(1, HOSTILE)]
        )
    else:
        chart = charts.step_line_chart(
            title=HOSTILE,
            description=HOSTILE,
            series=[charts.Series(label=HOSTILE, points=(charts.Point(JAN_2024, 1, HOSTILE),))],
            y_max=6,
            start=JAN_2024,
            end=JAN_2025,
        )
    html = render_to_string(f"portal/_charts.html#{kind}", {"chart": chart, "id": "x"})
    assert "<script" not in html
    assert ESCAPED in html
    _svg(html)  # still well-formed
    assert any(HOSTILE in cell for row in table_rows(html) for cell in row)
