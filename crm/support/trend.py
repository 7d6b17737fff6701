"""The concern-level trend of a support case (SPEC I14): a step chart and its table.

Built from the case's "Concern level changed" history entries; the template
``support/_concern_trend.html`` draws it as server-rendered SVG, and the same
steps are listed in a table, so nothing is said by the line alone.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
