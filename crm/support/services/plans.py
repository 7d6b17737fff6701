"""Planned support entries: add, edit, delete (SPEC I5)."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from crm.cases.models import Case
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User
from crm.support.choices import PlanStatus, SupportEventType
from crm.support.models import PlannedSupport
from crm.support.services.cases import check_support_case

PLAN_FIELDS = ("description", "target_date", "duration_minutes", "lead", "status")


@dataclass
class PlanData:
    """What the planned support form sets."""

    description: str
    target_date: date | None = None
    lead: User | None = None
    status: str = PlanStatus.PLANNED
    duration_minutes: int | None = None


def _check(firm: Firm, data: PlanData, current_lead_id: int | None) -> None:
    if not data.description.strip():
        raise ApplicationError(
            "Enter a description of the support.", "required", {"field": "description"}
        )
    if data.status not in PlanStatus.values:
        raise ApplicationError("Choose a status.", "invalid", {"field": "status"})
    lead = data.lead
    if (
        lead is not None
        and lead.pk != current_lead_id
        and not firm_selectors.may_own(firm=firm, user_id=lead.pk)
    ):
        raise ApplicationError(
            "Choose a lead who is an active member of this firm.",
            "invalid",
            {"field": "lead"},
        )


def _check_plan(firm: Firm, plan: PlannedSupport) -> None:
    ensure_same_firm(firm, plan)
    check_support_case(firm, plan.case)


@transaction.atomic
def plan_add(*, firm: Firm, actor: User, case: Case, data: PlanData) -> PlannedSupport:
    """Add a planned support entry to an open case."""
    check_support_case(firm, case)
    _check(firm, data, None)
    plan = PlannedSupport(
        firm=firm,
        case=case,
        description=data.description.strip(),
        target_date=data.target_date,
        duration_minutes=data.duration_minutes,
        lead=data.lead,
        status=data.status,
    )
    plan.full_clean()
    plan.save()
    changes = {k: [None, v] for k, v in events.snapshot(plan, PLAN_FIELDS).items()}
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=SupportEventType.PLAN_ADDED,
        params={"description": plan.description, "changes": changes},
        verb=AuditVerb.CREATE,
        audit_obj=plan,
        changes=changes,
    )
    return plan


@transaction.atomic
def plan_update(
    *, firm: Firm, actor: User, plan: PlannedSupport, data: PlanData
) -> PlannedSupport:
    """Change a planned support entry; history shows what changed."""
    _check_plan(firm, plan)
    _check(firm, data, plan.lead_id)
    before = events.snapshot(plan, PLAN_FIELDS)
    plan.description = data.description.strip()
    plan.target_date = data.target_date
    plan.duration_minutes = data.duration_minutes
    plan.lead = data.lead
    plan.status = data.status
    plan.full_clean()
    changes = events.diff(before, plan)
    if not changes:
        return plan
    plan.save(update_fields=[*PLAN_FIELDS, "updated_at"])
    events.record(
        firm=firm,
        actor=actor,
        subject=plan.case,
        type=SupportEventType.PLAN_UPDATED,
        params={"description": plan.description, "changes": changes},
        verb=AuditVerb.UPDATE,
        audit_obj=plan,
        changes=changes,
    )
    return plan


@transaction.atomic
def plan_delete(*, firm: Firm, actor: User, plan: PlannedSupport) -> None:
    """Delete a planned support entry; history keeps its description."""
    _check_plan(firm, plan)
    case, description = plan.case, plan.description
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=SupportEventType.PLAN_DELETED,
        params={"description": description},
        verb=AuditVerb.DELETE,
        audit_obj=plan,
        changes={k: [v, None] for k, v in events.snapshot(plan, PLAN_FIELDS).items()},
    )
    plan.delete()
