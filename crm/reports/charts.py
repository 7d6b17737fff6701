"""Server-side SVG bar charts for the reports (L2): no script, no CDN.

A chart is laid out here and drawn by ``reports/_chart.html``. Each row of a
report is a group: its label on a line of its own, then one horizontal bar per
charted column. Bar lengths are percentages of the chart's width, so the chart
fits any screen, from a phone to a desktop, without shrinking its text. The
table under the chart is its text alternative.
"""

from dataclasses import dataclass
from decimal import Decimal

from crm.reports.selectors.base import Format, Table, Value

# Colours of the series, each at least 3:1 against white (WCAG 1.4.11).
PALETTE = ("#1d4ed8", "#b45309", "#15803d", "#7e22ce", "#be123c")
LABEL_HEIGHT = 20
BAR_HEIGHT = 14
BAR_GAP = 4
GROUP_GAP = 12
# The longest bar leaves room for its value after it.
MAX_PERCENT = Decimal(76)
LABEL_CHARS = 60


def format_value(value: Value, fmt: Format) -> str:
    """Return ``value`` as a person reads it: 1,234, £1,234.50 or 12.5%."""
    if value is None:
        return "\N{EN DASH}"
    if fmt == "money":
        return f"£{value:,.2f}"
    if fmt == "percent":
        return f"{value}%"
    return f"{value:,}"


@dataclass(frozen=True)
class Bar:
    """One bar: its series, length (percent of the width), value and position."""

    series: str
    colour: str
    percent: Decimal
    text: str
    y: int


@dataclass(frozen=True)
class Group:
    """The bars of one row of the report, under the row's label."""

    label: str
    short_label: str
    y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Series:
    """A charted column and its colour, for the legend."""

    name: str
    colour: str


@dataclass(frozen=True)
class Chart:
    """A laid-out bar chart: its groups, legend and height in pixels."""

    groups: tuple[Group, ...]
    series: tuple[Series, ...]
    height: int


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(table: Table) -> Chart | None:
    """Lay out ``table``'s charted columns as bars, or None if nothing to draw."""
    if not table.chart_columns or table.is_empty:
        return None
    series = tuple(
        Series(table.columns[i].label, PALETTE[n % len(PALETTE)])
        for n, i in enumerate(table.chart_columns)
    )
    peak = max(
        (
            Decimal(row.values[i] or 0)
            for row in table.rows
            for i in table.chart_columns
        ),
        default=Decimal(0),
    )
    groups = []
    y = 0
    for row in table.rows:
        bars = []
        bar_y = y + LABEL_HEIGHT
        for n, i in enumerate(table.chart_columns):
            value = Decimal(row.values[i] or 0)
            percent = (
                (value * MAX_PERCENT / peak).quantize(Decimal("0.01"))
                if peak
                else Decimal(0)
            )
            bars.append(
                Bar(
                    series=series[n].name,
                    colour=series[n].colour,
                    percent=max(percent, Decimal(0)),
                    text=format_value(row.values[i], table.columns[i].format),
                    y=bar_y,
                )
            )
            bar_y += BAR_HEIGHT + BAR_GAP
        groups.append(Group(row.label, _short(row.label), y, tuple(bars)))
        y = bar_y + GROUP_GAP
    return Chart(groups=tuple(groups), series=series, height=max(y - GROUP_GAP, 1))


@dataclass(frozen=True)
class FigureRow:
    """A row of the figures table, its values formatted for reading."""

    label: str
    cells: tuple[str, ...]


def figure_rows(table: Table) -> tuple[tuple[FigureRow, ...], FigureRow]:
    """Return ``table``'s rows and total with every value formatted for the page."""
    formats = [column.format for column in table.columns]

    def line(label: str, values: tuple[Value, ...]) -> FigureRow:
        return FigureRow(label, tuple(map(format_value, values, formats)))

    rows = tuple(line(row.label, row.values) for row in table.rows)
    return rows, line(table.total.label, table.total.values)
