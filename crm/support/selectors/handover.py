"""The handover summary of a support case: one page from its records (I15).

Every part is read in a fixed number of queries, however full the case:
open planned support, overdue tasks, external services and referrals out,
the concern level's changes, the last five interactions, needs and
outcomes, and the latest scores on each scale.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, Prefetch
from django.utils import timezone

from crm.cases.models import Case, CaseEvent
from crm.firms.models import Firm
from crm.interactions.models import Interaction
from crm.support.choices import (
    ConcernLevel,
    ItemKind,
    PlanStatus,
    Scorer,
    SupportEventType,
)
from crm.support.models import (
    ExternalService,
    PlannedSupport,
    ReferralOut,
    ReferralOutUpdate,
    ScoreSet,
    SupportItem,
)
from crm.support.selectors.cases import case_interactions
from crm.tasks.choices import TaskStatus
from crm.tasks.models import Task

LAST_INTERACTIONS = 5


@dataclass
class ConcernStep:
    """One change of the concern level: when, from, to and why."""

    at: Any
    from_label: str
    to_label: str
    reason: str


@dataclass
class LatestScores:
    """A scale's latest average by each scorer, with the distance travelled."""

    scale: Any
    by_scorer: dict[str, ScoreSet] = field(default_factory=dict)

    @property
    def sets(self) -> list[ScoreSet]:
        """Return the latest sets, the case manager's before the beneficiary's."""
        order = (Scorer.CASE_MANAGER, Scorer.BENEFICIARY)
        return [self.by_scorer[s] for s in order if s in self.by_scorer]


def _label(value: Any) -> str:
    return str(ConcernLevel(value).label) if value in ConcernLevel.values else "—"


def _trend(start: Any, current: str) -> str:
    """Return Rising, Falling or Steady: the level now against where it started."""
    order: list[str] = list(ConcernLevel.values)
    if start not in order or current not in order or start == current:
        return "Steady"
    return "Rising" if order.index(current) > order.index(start) else "Falling"


def handover_summary(*, firm: Firm, case: Case) -> dict[str, Any]:
    """Return every part of the case's handover summary (9 queries)."""
    today: date = timezone.localdate()
    plans = list(
        PlannedSupport.objects.filter(
            firm=firm,
            case=case,
            status__in=[PlanStatus.PLANNED, PlanStatus.IN_PROGRESS],
        )
        .select_related("lead")
        .order_by(F("target_date").asc(nulls_last=True), "id")
    )
    overdue_tasks = list(
        Task.objects.filter(
            firm=firm, case=case, status=TaskStatus.OPEN, due_date__lt=today
        )
        .select_related("assignee")
        .order_by("due_date", "id")
    )
    services = list(
        ExternalService.objects.filter(firm=firm, case=case)
        .select_related("contact")
        .order_by("created_at", "id")
    )
    referrals = list(
        ReferralOut.objects.filter(firm=firm, case=case)
        .select_related("partner")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ReferralOutUpdate.objects.filter(firm=firm).order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("-sent_at", "-id")
    )
    events = list(
        CaseEvent.objects.filter(
            firm=firm, case=case, type=SupportEventType.CONCERN_CHANGED
        ).order_by("created_at", "id")
    )
    steps = [
        ConcernStep(
            at=e.created_at,
            from_label=_label(e.parameters.get("from")),
            to_label=_label(e.parameters.get("to")),
            reason=str(e.parameters.get("reason", "")),
        )
        for e in events
    ]
    interactions: list[Interaction] = list(
        case_interactions(firm=firm, case=case)[:LAST_INTERACTIONS]
    )
    items = list(
        SupportItem.objects.filter(firm=firm, case=case).order_by("created_at", "id")
    )
    latest: dict[int, LatestScores] = {}
    for score_set in (
        ScoreSet.objects.filter(firm=firm, case=case, is_latest=True)
        .select_related("scale")
        .order_by("scale__name", "scale_id", "scorer")
    ):
        latest.setdefault(score_set.scale_id, LatestScores(score_set.scale)).by_scorer[
            score_set.scorer
        ] = score_set
    current = case.support.concern_level
    return {
        "today": today,
        "plans": plans,
        "overdue_plan_ids": {
            p.pk for p in plans if p.target_date and p.target_date < today
        },
        "overdue_tasks": overdue_tasks,
        "services": services,
        "referrals": [
            {
                "referral": r,
                "last": updates[-1] if (updates := list(r.updates.all())) else None,
            }
            for r in referrals
        ],
        "concern_steps": steps,
        "concern_path": [s.from_label for s in steps[:1]] + [s.to_label for s in steps]
        if steps
        else [_label(current)],
        "concern_trend": _trend(
            events[0].parameters.get("from") if events else current, current
        ),
        "interactions": interactions,
        "needs": [i for i in items if i.kind == ItemKind.NEED],
        "outcomes": [i for i in items if i.kind == ItemKind.OUTCOME],
        "scores": list(latest.values()),
    }
