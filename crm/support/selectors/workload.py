"""Reads for the Workload page (SPEC I13): caseloads and hours against capacity.

Each figure is one grouped query over the whole firm, so the page costs the
same number of queries for three case managers or three hundred.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from crm.cases.models import Case, CaseQuerySet
from crm.firms.models import Firm
from crm.firms.selectors.members import owner_membership_qs
from crm.support.choices import NEAR_CAPACITY, ConcernLevel, PlanStatus, SupportKind
from crm.support.models import PlannedSupport
from crm.support.selectors.case_list import support_case_list
from crm.tasks.choices import TaskStatus
from crm.tasks.models import Task

OPEN_PLANS = (PlanStatus.PLANNED, PlanStatus.IN_PROGRESS)


@dataclass
class WorkloadRow:
    """One case manager's week: cases by concern level, hours planned and free."""

    user_id: int
    name: str
    available: Decimal | None
    cases: dict[str, int] = field(default_factory=dict)
    task_minutes: int = 0
    plan_minutes: int = 0

    @property
    def open_cases(self) -> int:
        """Return how many open cases the member manages."""
        return sum(self.cases.values())

    @property
    def by_level(self) -> list[tuple[str, str, int]]:
        """Return ``(level, label, count)`` for every concern level, Low first."""
        return [
            (c.value, str(c.label), self.cases.get(c.value, 0)) for c in ConcernLevel
        ]

    @property
    def planned_hours(self) -> Decimal:
        """Return the hours of open tasks and planned support due this week."""
        minutes = self.task_minutes + self.plan_minutes
        return (Decimal(minutes) / 60).quantize(Decimal("0.1"))

    @property
    def load(self) -> float | None:
        """Return planned over available hours (1.0 is full), or None if unknown."""
        if not self.available:
            return None
        return float(self.planned_hours / self.available)

    @property
    def percent(self) -> int | None:
        """Return the load as a whole percentage, or None if unknown."""
        load = self.load
        return None if load is None else round(load * 100)

    @property
    def bar(self) -> int:
        """Return the load capped at 100, the width of the capacity bar."""
        return min(self.percent or 0, 100)

    @property
    def state(self) -> str:
        """Return "over", "near", "ok" or "unknown" (no hours set)."""
        load = self.load
        if load is None:
            return "unknown"
        if load > 1:
            return "over"
        if load >= NEAR_CAPACITY:
            return "near"
        return "ok"


def week_of(day: date) -> tuple[date, date]:
    """Return the Monday and Sunday of ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def workload_rows(*, firm: Firm, today: date) -> list[WorkloadRow]:
    """Return a row for every member who may manage cases, by name (four queries)."""
    monday, sunday = week_of(today)
    members = owner_membership_qs(firm=firm).select_related("user")
    rows = {
        m.user_id: WorkloadRow(
            user_id=m.user_id,
            name=m.user.full_name or m.user.email,
            available=m.weekly_hours,
        )
        for m in members
    }
    cases = (
        Case.objects.filter(
            firm=firm, kind=SupportKind.SUPPORT, is_open=True, owner__isnull=False
        )
        .values_list("owner_id", "support__concern_level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for owner_id, level, n in cases:
        if owner_id in rows:
            rows[owner_id].cases[level] = n
    tasks = (
        Task.objects.filter(
            firm=firm,
            status=TaskStatus.OPEN,
            due_date__range=(monday, sunday),
            assignee__isnull=False,
        )
        .values_list("assignee_id")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by()
    )
    for user_id, minutes in tasks:
        if user_id in rows:
            rows[user_id].task_minutes = minutes or 0
    plans = (
        PlannedSupport.objects.filter(
            firm=firm,
            status__in=OPEN_PLANS,
            target_date__range=(monday, sunday),
            case__is_open=True,
        )
        .annotate(who=Coalesce("lead_id", "case__owner_id"))
        .values_list("who")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by()
    )
    for user_id, minutes in plans:
        if user_id in rows:
            rows[user_id].plan_minutes = minutes or 0
    return sorted(rows.values(), key=lambda r: (r.name.lower(), r.user_id))


def workload_case_list(*, firm: Firm, owner_id: int | None = None) -> CaseQuerySet:
    """Return open support cases to pick for reassignment, most concerning first."""
    return support_case_list(firm=firm, tab="open", owner_id=owner_id, sort="-concern")


def totals(rows: list[WorkloadRow]) -> dict[str, int]:
    """Return how many case managers are near or over capacity."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.state] += 1
    return dict(counts)
