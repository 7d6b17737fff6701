"""The concern-level trend of a support case (SPEC I14): a step chart and its table.

Built from the case's "Concern level changed" history entries; the template
``support/_concern_trend.html`` draws it as server-rendered SVG, and the same
steps are listed in a table, so nothing is said by the line alone.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.timezone import is_aware, localtime

from crm.core.rows import badge, e
from crm.core.templatetags.dates import DATE_FORMATS
from crm.support.choices import ConcernLevel

WIDTH, HEIGHT = 560, 150
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 10, 26
LEVELS = ConcernLevel.values


@dataclass(frozen=True)
class Step:
    """The case's concern level from ``start`` until the next step."""

    start: datetime
    level: str
    label: str
    reason: str = ""
    actor: Any = None


@dataclass(frozen=True)
class TrendChart:
    """Coordinates of the step line and its axes."""

    steps: list[Step]
    points: str
    rows: list[tuple[str, float]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_x: int = WIDTH - RIGHT
    first: str = ""
    last: str = ""

    @property
    def description(self) -> str:
        """Return the chart in words, for its ``<desc>``."""
        path = " → ".join(s.label for s in self.steps)
        return f"Concern level over time: {path}."


def _label(level: str) -> str:
    return str(ConcernLevel(level).label) if level in LEVELS else level


def concern_steps(
    *, opened_at: datetime, current: str, changes: list[Any]
) -> list[Step]:
    """Return the steps from history entries (newest first, as the page has them)."""
    ordered = sorted(changes, key=lambda h: (h.event.created_at, h.event.pk))
    first = ordered[0].event.parameters.get("from", current) if ordered else current
    steps = [Step(start=opened_at, level=first, label=_label(first))]
    for entry in ordered:
        to = entry.event.parameters.get("to", "")
        steps.append(
            Step(
                start=entry.event.created_at,
                level=to,
                label=_label(to),
                reason=entry.reason,
                actor=entry.event.actor,
            )
        )
    return steps


def _y(level: str) -> float:
    index = LEVELS.index(level) if level in LEVELS else 0
    span = HEIGHT - TOP - BOTTOM
    return TOP + span - span * index / (len(LEVELS) - 1)


def concern_trend(*, steps: list[Step], until: datetime) -> TrendChart:
    """Return the step chart of ``steps`` from the first to ``until``."""
    begin = steps[0].start
    total = max((until - begin).total_seconds(), 1.0)
    plot = WIDTH - LEFT - RIGHT

    def x(when: datetime) -> float:
        return LEFT + plot * max((when - begin).total_seconds(), 0.0) / total

    coords: list[tuple[float, float]] = []
    for step in steps:
        if coords:
            coords.append((x(step.start), coords[-1][1]))
        coords.append((x(step.start), _y(step.level)))
    coords.append((float(WIDTH - RIGHT), coords[-1][1]))
    return TrendChart(
        steps=steps,
        points=" ".join(f"{a:.1f},{b:.1f}" for a, b in coords),
        rows=[(str(c.label), _y(c.value)) for c in ConcernLevel],
        first=f"{begin:%d %b %Y}",
        last=f"{until:%d %b %Y}",
    )


def draw(trend: TrendChart) -> str:
    """Return ``support/_concern_trend.html`` drawn for ``trend``.

    Through the template the chart and its table cost about 2,500 Python calls
    (a sixth of the support case page); the template stays the reference and
    a test draws varied trends both ways.
    """
    note = (
        '\n  <p class="muted">The concern level has not changed since the case'
        " was opened.</p>\n"
        if len(trend.steps) == 1
        else ""
    )
    grid = "".join(
        f'\n      <line x1="{trend.left}" x2="{trend.right_x}" y1="{y:.1f}"'
        f' y2="{y:.1f}" class="ochart__grid" />\n      <text x="{trend.left - 6}"'
        f' y="{y:.1f}" class="ochart__label" text-anchor="end"'
        f' dominant-baseline="middle">{e(label)}</text>\n    '
        for label, y in trend.rows
    )
    rows = "".join(_step_row(step, first=i == 0) for i, step in enumerate(trend.steps))
    return (
        f'\n{note}\n<figure class="concern-trend" aria-labelledby='
        '"concern-trend-caption">\n  <figcaption id="concern-trend-caption">'
        'Concern level over time</figcaption>\n  <svg role="img"'
        f'\n       viewBox="0 0 {trend.width} {trend.height}"\n       width="100%"'
        '\n       class="ochart__svg"\n       aria-labelledby="concern-trend-title'
        ' concern-trend-desc">\n    <title id="concern-trend-title">Concern level'
        ' over time</title>\n    <desc id="concern-trend-desc">'
        f"{e(trend.description)}</desc>\n    {grid}\n"
        f'    <polyline points="{e(trend.points)}" class="concern-trend__line"'
        ' fill="none" />\n'
        f'    <text x="{trend.left}" y="{trend.height - 6}" class="ochart__label">'
        f"{e(trend.first)}</text>\n"
        f'    <text x="{trend.right_x}" y="{trend.height - 6}" class="ochart__label"'
        f' text-anchor="end">{e(trend.last)}</text>\n  </svg>\n</figure>\n'
        '<div class="table-wrap" tabindex="0">\n  <table class="table">\n'
        '    <caption class="sr-only">Concern level changes</caption>\n'
        "    <thead>\n      <tr>\n"
        '        <th scope="col">From</th>\n        <th scope="col">Level</th>\n'
        '        <th scope="col">Reason</th>\n        <th scope="col">By</th>\n'
        "      </tr>\n    </thead>\n    <tbody>\n      "
        f"{rows}\n    </tbody>\n  </table>\n</div>\n"
    )


def _step_row(step: Step, *, first: bool) -> str:
    start = step.start
    if is_aware(start):
        start = localtime(start)
    reason = (
        '<span class="muted">When the case was opened</span>'
        if first
        else e(step.reason)
        if step.reason
        else "—"
    )
    actor = e(step.actor) if step.actor else "—"
    return (
        '\n        <tr>\n          <td class="nowrap">\n'
        f'            <time datetime="{e(DATE_FORMATS["c"](start))}">'
        f"{e(DATE_FORMATS['j M Y'](start))}</time>\n          </td>\n"
        f"          <td>\n{badge('concern-' + str(step.level), step.label)}\n</td>\n"
        f"          <td>\n            \n              {reason}\n            \n"
        f"          </td>\n          <td>{actor}</td>\n        </tr>\n      "
    )
