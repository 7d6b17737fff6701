"""Server-rendered SVG charts of outcome scores (I10): no script, no CDN.

These functions turn scores into coordinates; the templates
``support/_chart_case.html`` and ``support/_chart_funder.html`` draw them.
Every chart has a title and a description, and its numbers are also in the
table next to it, so nothing is said by colour or shape alone.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.formats import date_format

from crm.support.choices import Scorer

if TYPE_CHECKING:
    from crm.support.selectors.outcomes import FunderRow, ScaleOutcome

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 44


@dataclass
class Dot:
    """One point of a series: where, and what it says."""

    x: float
    y: float
    label: str

    @property
    def box(self) -> tuple[float, float]:
        """Return the top-left corner of a 10-pixel square marker centred here."""
        return self.x - 5, self.y - 5


@dataclass
class Series:
    """One line of a chart (the case manager's or the beneficiary's scores)."""

    name: str
    css: str
    dots: list[Dot] = field(default_factory=list)

    @property
    def path(self) -> str:
        """Return the SVG polyline points."""
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)


@dataclass
class LineChart:
    """A distance-travelled chart of one scale on one case."""

    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str, str]]
    series: list[Series]


def _y(value: float, low: int, high: int) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (1 - (value - low) / (high - low))


def case_chart(outcome: "ScaleOutcome") -> LineChart:
    """Return the chart of one scale's averages over time, one line per scorer."""
    scale = outcome.scale
    low, high = scale.min_score, scale.max_score
    dates = sorted({s.recorded_on for s in outcome.sets})
    span = WIDTH - LEFT - RIGHT
    step = span / max(len(dates) - 1, 1)
    x_of = {
        d: LEFT + (i * step if len(dates) > 1 else span / 2)
        for i, d in enumerate(dates)
    }
    series = []
    for scorer, css in (
        (Scorer.CASE_MANAGER, "manager"),
        (Scorer.BENEFICIARY, "beneficiary"),
    ):
        sets = [s for s in outcome.sets if s.scorer == scorer]
        if not sets:
            continue
        line = Series(str(scorer.label), css)
        for s in sets:
            line.dots.append(
                Dot(
                    x_of[s.recorded_on],
                    _y(float(s.average), low, high),
                    f"{scorer.label}, {s.get_point_display()} "
                    f"{date_format(s.recorded_on, 'j M Y')}: {s.average}",
                )
            )
        series.append(line)
    ticks = sorted({low, (low + high) // 2, high})
    first = {sc.name: sc.dots[0].label for sc in series}
    last = {sc.name: sc.dots[-1].label for sc in series}
    description = "; ".join(
        f"from {first[name].split(': ')[-1]} to {last[name].split(': ')[-1]} ({name})"
        for name in first
    )
    return LineChart(
        title=f"{scale.name}: distance travelled",
        description=f"Average score on a scale of {scale.range_label}, {description}.",
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        y_ticks=[(_y(t, low, high), str(t)) for t in ticks],
        x_ticks=[(x_of[d], date_format(d, "j M"), date_format(d, "Y")) for d in dates],
        series=series,
    )


@dataclass
class Bar:
    """One row of the funder chart: first and latest average on the row's range."""

    label: str
    y: float
    x_start: float
    x_latest: float
    start: float
    latest: float
    range_label: str
    is_total: bool


@dataclass
class FunderChart:
    """Distance travelled per scale and pathway, first to latest average."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    bars: list[Bar]


ROW = 36
LABEL_WIDTH = 220


def funder_chart(rows: list["FunderRow"]) -> FunderChart:
    """Return one row per scale and pathway, each on its scale's own range."""
    width, right = 640, 24
    span = width - LABEL_WIDTH - right
    bars = []
    for i, row in enumerate(rows):

        def x(value: float, row: "FunderRow" = row) -> float:
            return LABEL_WIDTH + span * (value - row.min_score) / (
                row.max_score - row.min_score
            )

        bars.append(
            Bar(
                label=f"{row.scale} · {row.pathway}",
                y=ROW * i + ROW / 2 + 8,
                x_start=x(row.start),
                x_latest=x(row.latest),
                start=row.start,
                latest=row.latest,
                range_label=f"{row.min_score}-{row.max_score}",
                is_total=row.is_total,
            )
        )
    return FunderChart(
        width=width,
        height=ROW * len(rows) + 16,
        plot_left=LABEL_WIDTH,
        plot_right=width - right,
        bars=bars,
    )
