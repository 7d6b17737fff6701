"""Reads about support cases: the list and everything a case's page shows (I1-I9)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from crm.cases import kinds as case_kinds
from crm.cases import selectors as case_selectors
from crm.cases.models import Case
from crm.cases.policies import (
    case_visibility,
    child_visibility_as,
    child_visibility_of,
)
from crm.contacts.models import Contact
from crm.core.exceptions import NotFound
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.firms.selectors.lookups import DEFAULT_SORT, reference_rows
from crm.interactions.models import Interaction
from crm.support.choices import ItemKind, PlanStatus, SupportKind
from crm.support.models import (
    ExternalService,
    OpenPeriod,
    Pathway,
    PlannedSupport,
    SupportDetails,
    SupportItem,
)
from crm.tasks.choices import TaskStatus
from crm.tasks.models import Task

SECTION_LIMIT = 20


def support_case_get(
    *, firm: Firm, case_id: int, principal: Principal | None = None
) -> Case:
    """Return one of the firm's support cases, or raise ``NotFound``.

    A case of another kind is ``NotFound`` too, as is one ``principal`` may not see.
    Only its owner is joined: support pages show no introducer, lead or creator.
    """
    case = case_selectors.case_get(
        firm=firm, case_id=case_id, principal=principal, related=("owner",)
    )
    if case.kind != SupportKind.SUPPORT:
        raise NotFound
    return case


def support_item_get(
    *, firm: Firm, item_id: int, principal: Principal | None = None
) -> SupportItem:
    """Return a need or outcome of a case ``principal`` may see, or ``NotFound``."""
    cases = case_visibility(Case.objects.filter(firm=firm), principal)
    try:
        return SupportItem.objects.select_related("case").get(
            firm=firm, pk=item_id, case__in=cases
        )
    except SupportItem.DoesNotExist as exc:
        raise NotFound from exc


def plan_get(
    *, firm: Firm, plan_id: int, principal: Principal | None = None
) -> PlannedSupport:
    """Return a planned support entry of a case ``principal`` may see, or 404."""
    cases = case_visibility(Case.objects.filter(firm=firm), principal)
    try:
        return PlannedSupport.objects.select_related("case", "lead").get(
            firm=firm, pk=plan_id, case__in=cases
        )
    except PlannedSupport.DoesNotExist as exc:
        raise NotFound from exc


def service_get(
    *, firm: Firm, link_id: int, principal: Principal | None = None
) -> ExternalService:
    """Return an external service link of a case ``principal`` may see, or 404."""
    cases = case_visibility(Case.objects.filter(firm=firm), principal)
    try:
        return ExternalService.objects.select_related("case", "contact").get(
            firm=firm, pk=link_id, case__in=cases
        )
    except ExternalService.DoesNotExist as exc:
        raise NotFound from exc


def items_of(*, firm: Firm, case: Case, kind: str) -> list[SupportItem]:
    """Return the case's needs or outcomes, oldest first."""
    return list(
        SupportItem.objects.filter(firm=firm, case=case, kind=kind).order_by(
            "created_at", "id"
        )
    )


def support_details_get(*, firm: Firm, case: Case) -> SupportDetails:
    """Return the support details of a support case, with its pathway."""
    return SupportDetails.objects.select_related("pathway").get(firm=firm, case=case)


def plans_of(*, firm: Firm, case: Case) -> list[PlannedSupport]:
    """Return the case's planned support by target date, undated last."""
    return list(
        PlannedSupport.objects.filter(firm=firm, case=case).order_by(
            F("target_date").asc(nulls_last=True), "id"
        )
    )


def services_of(*, firm: Firm, case: Case) -> list[ExternalService]:
    """Return the case's external services, oldest link first."""
    return list(
        ExternalService.objects.filter(firm=firm, case=case).order_by(
            "created_at", "id"
        )
    )


def days_open(periods: list[OpenPeriod]) -> int:
    """Return the whole days a case has been open, added up across reopens (I3)."""
    now = timezone.now()
    seconds = sum(((p.closed_at or now) - p.opened_at).total_seconds() for p in periods)
    return int(seconds // 86400)


def support_case_page(*, firm: Firm, case: Case) -> dict[str, Any]:
    """Return every section of a support case's page, in a fixed number of queries.

    Each section's read is compiled once a process (``crm.core.prepared``).
    """
    today = timezone.localdate()
    ids = {"firm_id": firm.pk, "case_id": case.pk}
    items = _PAGE_ITEMS(**ids)
    plans = _PAGE_PLANS(**ids)
    periods = _PAGE_PERIODS(**ids)
    interactions = _PAGE_INTERACTIONS(**ids)
    tasks = _PAGE_TASKS(**ids)
    return {
        "needs": [i for i in items if i.kind == ItemKind.NEED],
        "outcomes": [i for i in items if i.kind == ItemKind.OUTCOME],
        "plans": plans,
        "overdue_plan_ids": {
            p.pk
            for p in plans
            if p.target_date
            and p.target_date < today
            and p.status not in (PlanStatus.COMPLETE, PlanStatus.CANCELLED)
        },
        "services": _PAGE_SERVICES(**ids),
        "interactions": interactions[:SECTION_LIMIT],
        "more_interactions": len(interactions) > SECTION_LIMIT,
        "tasks": tasks[:SECTION_LIMIT],
        "more_tasks": len(tasks) > SECTION_LIMIT,
        "open_task_status": TaskStatus.OPEN,
        "days_open": days_open(periods),
        "open_periods": periods,
        "today": today,
    }


# The support case page's sections (``support_case_page``), by case.


def _page_items(*, firm_id: int, case_id: int) -> QuerySet[SupportItem]:
    return SupportItem.objects.filter(firm_id=firm_id, case_id=case_id).order_by(
        "created_at", "id"
    )


def _page_plans(*, firm_id: int, case_id: int) -> QuerySet[PlannedSupport]:
    return (
        PlannedSupport.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("lead")
        .order_by(F("target_date").asc(nulls_last=True), "id")
    )


def _page_periods(*, firm_id: int, case_id: int) -> QuerySet[OpenPeriod]:
    return OpenPeriod.objects.filter(firm_id=firm_id, case_id=case_id)


def _page_interactions(*, firm_id: int, case_id: int) -> QuerySet[Interaction]:
    return _case_interactions(firm_id=firm_id, case_id=case_id)[: SECTION_LIMIT + 1]


def _page_tasks(*, firm_id: int, case_id: int) -> QuerySet[Task]:
    return (
        Task.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("assignee")
        .order_by(F("status").desc(), F("due_date").asc(nulls_last=True), "id")[
            : SECTION_LIMIT + 1
        ]
    )


def _page_services(*, firm_id: int, case_id: int) -> QuerySet[ExternalService]:
    return (
        ExternalService.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("contact")
        .order_by("created_at", "id")
    )


_PAGE_ITEMS = Prepared(SupportItem, _page_items)
_PAGE_PLANS = Prepared(PlannedSupport, _page_plans)
_PAGE_PERIODS = Prepared(OpenPeriod, _page_periods)
_PAGE_INTERACTIONS = Prepared(Interaction, _page_interactions)
_PAGE_TASKS = Prepared(Task, _page_tasks)
_PAGE_SERVICES = Prepared(ExternalService, _page_services)


def case_interactions(*, firm: Firm, case: Case) -> QuerySet[Interaction]:
    """Return every interaction and touchpoint on the case, newest first (I7)."""
    return _case_interactions(firm_id=firm.pk, case_id=case.pk)


def _case_interactions(*, firm_id: int, case_id: int) -> QuerySet[Interaction]:
    return (
        Interaction.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("interaction_type", "created_by", "contact")
        .order_by("-occurred_at", "-id")
    )


def served_cases(
    *, firm: Firm, contact: Contact, principal: Principal | None = None
) -> list[ExternalService]:
    """Return the support cases (that ``principal`` may see) a contact serves.

    The cases' visibility is read through the row's own case (joined for the
    order anyway), not a subquery of the firm's cases: compiling that
    subquery was half the Python cost of the section.
    """
    return _SERVED(
        firm_id=firm.pk, contact_id=contact.pk, **child_visibility_of(principal)
    )


def _served(
    *, firm_id: int, contact_id: int, seen: str, viewer_id: int | None = None
) -> QuerySet[ExternalService]:
    served = ExternalService.objects.filter(firm_id=firm_id, contact_id=contact_id)
    return (
        child_visibility_as(served, seen=seen, viewer_id=viewer_id)
        .select_related("case")
        .order_by("-case__is_open", "-created_at", "-id")[:SECTION_LIMIT]
    )


_SERVED = Prepared(ExternalService, _served)


def pathway_choices(*, firm: Firm, current_id: int | None = None) -> QuerySet[Pathway]:
    """Return the firm's active pathways (and ``current_id``, even if archived)."""
    return _pathways(firm_id=firm.pk, current_id=current_id)


def pathway_rows(*, firm: Firm, current_id: int | None = None) -> list[Pathway]:
    """Return ``pathway_choices`` read compiled once (the list's filter bar)."""
    return _PATHWAYS(firm_id=firm.pk, current_id=current_id)


def _pathways(*, firm_id: int, current_id: int | None) -> QuerySet[Pathway]:
    return (
        Pathway.objects.filter(firm_id=firm_id)
        .filter(Q(is_active=True) | Q(pk=current_id))
        .order_by("name", "id")
    )


_PATHWAYS = Prepared(Pathway, _pathways)


def cases_label(*, firm: Firm) -> str:
    """Return "Support cases" where the firm has other kinds of case, else "Cases".

    A charity with only the Support module calls them Cases, as seed 004 does.
    """
    others = [k for k in case_kinds.kinds_for(firm) if k.value != SupportKind.SUPPORT]
    return "Support cases" if others else "Cases"


# The Pathways settings list (I9)


def pathway_list(
    *, firm: Firm, q: str = "", status: str = "", sort: str = DEFAULT_SORT
) -> QuerySet[Pathway]:
    """Return the firm's pathways, active first, by name; ``q`` searches the name."""
    return reference_rows(
        Pathway.objects.filter(firm=firm), q=q, status=status, sort=sort
    )


def pathway_get(*, firm: Firm, pathway_id: int) -> Pathway:
    """Return one of the firm's pathways or raise ``NotFound``."""
    try:
        return Pathway.objects.get(firm=firm, pk=pathway_id)
    except Pathway.DoesNotExist as exc:
        raise NotFound from exc


def planned_due_list(
    *, firm: Firm, user_id: int, due_by: date, limit: int
) -> list[PlannedSupport]:
    """Return unfinished planned support due by ``due_by`` that the member leads
    or whose case they manage, soonest first (the dashboard, L1)."""
    return list(
        PlannedSupport.objects.filter(
            Q(lead_id=user_id) | Q(case__owner_id=user_id),
            firm=firm,
            case__is_open=True,
            target_date__lte=due_by,
        )
        .exclude(status__in=[PlanStatus.COMPLETE, PlanStatus.CANCELLED])
        .select_related("case")
        .order_by("target_date", "id")[:limit]
    )


def outcomes_overdue_list(
    *, firm: Firm, owner_id: int, today: date, limit: int
) -> list[SupportItem]:
    """Return desired outcomes not yet achieved on the manager's open cases whose
    expected end date has passed, oldest end date first (the dashboard, L1)."""
    return list(
        SupportItem.objects.filter(
            firm=firm,
            kind=ItemKind.OUTCOME,
            achieved_on=None,
            case__owner_id=owner_id,
            case__is_open=True,
            case__support__expected_end_date__lt=today,
        )
        .select_related("case", "case__support")
        .order_by("case__support__expected_end_date", "id")[:limit]
    )


@dataclass(frozen=True)
class OpenWork:
    """A case's tasks and planned support still to do, asked about on closing."""

    tasks: list[Task]
    plans: list[PlannedSupport]

    def __bool__(self) -> bool:
        return bool(self.tasks or self.plans)


def case_open_work(*, firm: Firm, case: Case) -> OpenWork:
    """Return the case's open tasks and its planned support not complete (I3)."""
    return OpenWork(
        tasks=list(
            Task.objects.filter(firm=firm, case=case, status=TaskStatus.OPEN)
            .select_related("assignee")
            .order_by(F("due_date").asc(nulls_last=True), "id")
        ),
        plans=list(
            PlannedSupport.objects.filter(
                firm=firm,
                case=case,
                status__in=[PlanStatus.PLANNED, PlanStatus.IN_PROGRESS],
            )
            .select_related("lead")
            .order_by(F("target_date").asc(nulls_last=True), "id")
        ),
    )
