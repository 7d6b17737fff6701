"""Creating cases and numbering them (SPEC D1): the core every kind shares."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from crm.cases import kinds
from crm.cases.choices import CaseContactEventType, CaseEventType
from crm.cases.models import Case, CaseApplicant, CaseReferenceCounter
from crm.cases.services.owners import owner_sort_name
from crm.cases.tally import services as tally
from crm.contacts.models import Contact
from crm.core import counters, events, validation
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.core.transactions import service_atomic
from crm.firms import selectors as firm_selectors
from crm.firms import services as firm_services
from crm.firms.models import Firm, Introducer, IntroducerBranch, Negotiator, User
from crm.leads.choices import LeadContactEventType, LeadEventType, LeadStatus
from crm.leads.models import Lead
from crm.leads.tally import services as lead_tally


def next_reference(*, firm: Firm, kind: str) -> tuple[int, str]:
    """Return the next number and reference for ``kind``, e.g. (42, "MTG-00042").

    The counter row is created once, then incremented with an UPDATE inside
    the caller's transaction: PostgreSQL locks the row and SQLite's IMMEDIATE
    transactions serialise writers, so concurrent creates get distinct numbers.
    One query once the row exists (``UPDATE ... RETURNING``, ``counters.take``).
    """
    number = counters.take(
        CaseReferenceCounter, column="last_number", firm_id=firm.pk, kind=kind
    )
    code = kinds.get(kind).reference_code
    prefix = f"{firm.case_reference_prefix}-" if firm.case_reference_prefix else ""
    return number, f"{prefix}{code}-{number:05d}"


@dataclass
class NewCase:
    """Everything needed to open a case of any registered kind in one go."""

    kind: str
    applicants: list[Contact]
    owner: User | None
    status: str
    follow_up_date: date | None = None
    note: str = ""
    title: str = ""
    introducer: Introducer | None = None
    introducer_branch: IntroducerBranch | None = None
    negotiator: Negotiator | None = None
    lead: Lead | None = None
    # Kind-specific fields, checked and stored by the kind's registered hooks.
    details: dict[str, Any] = field(default_factory=dict)
    # The case tally's detail (``CaseKind.tally_detail``) when the kind's own
    # service makes the detail row after ``case_create`` (support: the
    # concern level it is about to set); None reads it from the case.
    tally_detail: str | None = None


def _check(firm: Firm, data: NewCase) -> None:
    kind = kinds.find(data.kind)
    if kind is None:
        raise ApplicationError("Choose a product.", "invalid", {"field": "kind"})
    if data.status not in kind.transitions or kind.is_closed_status(data.status):
        raise ApplicationError(
            "Choose a starting status for this kind of case.",
            "invalid",
            {"field": "status"},
        )
    if not data.applicants or len(data.applicants) > 2:
        raise ApplicationError("A case has one or two clients.", "invalid")
    if len({c.pk for c in data.applicants}) != len(data.applicants):
        raise ApplicationError(
            "The joint applicant must be a different person from the main applicant.",
            "same_applicant",
            {"field": "joint"},
        )
    ensure_same_firm(firm, *data.applicants, data.lead)
    if data.owner is not None and not firm_selectors.may_own(
        firm=firm, user_id=data.owner.pk
    ):
        raise ApplicationError(
            "Choose an adviser who is a member of this firm and may edit cases.",
            "invalid",
            {"field": "owner"},
        )
    firm_services.introducer_chain_check(
        firm=firm,
        introducer=data.introducer,
        introducer_branch=data.introducer_branch,
        negotiator=data.negotiator,
    )
    if data.lead is not None and data.lead.contact_id not in {
        c.pk for c in data.applicants
    }:
        raise ApplicationError("The lead's client must be on the case.", "invalid")
    if kind.check_new is not None:
        kind.check_new(firm=firm, data=data)


@service_atomic
def case_create(*, firm: Firm, actor: User | None, data: NewCase) -> Case:
    """Open a case with its applicants, kind details, history and audit (D1)."""
    _check(firm, data)
    # The audit chain's lock before the counter's, as a status change that
    # opens a Remortgage case takes them: two such writes never wait on each
    # other in opposite orders.
    events.hold_audit(firm)
    number, reference = next_reference(firm=firm, kind=data.kind)
    case = Case(
        firm=firm,
        kind=data.kind,
        number=number,
        reference=reference,
        title=data.title.strip(),
        status=data.status,
        status_rank=kinds.status_rank(data.status),
        client_sort_name=data.applicants[0].sort_name,
        kind_rank=kinds.kind_rank(data.kind),
        is_open=True,
        owner=data.owner,
        owner_sort_name=owner_sort_name(data.owner),
        follow_up_date=data.follow_up_date,
        note=data.note,
        is_joint=len(data.applicants) == 2,
        lead=data.lead,
        introducer=data.introducer,
        introducer_branch=data.introducer_branch,
        negotiator=data.negotiator,
        created_by=actor,
    )
    # The firm, the actor, the owner (``may_own``: this request read their
    # membership), the lead and the introducer chain are rows already read and
    # checked above; the number and reference come from the counter, under its
    # row lock.
    validation.full_clean(
        case,
        held=(
            "firm",
            "created_by",
            "owner",
            "lead",
            "introducer",
            "introducer_branch",
            "negotiator",
        ),
        assured_unique=("number", "reference"),
    )
    case.save()
    CaseApplicant.objects.bulk_create(
        CaseApplicant(firm=firm, case=case, contact=contact, position=position)
        for position, contact in enumerate(data.applicants, start=1)
    )
    create_details = kinds.get(data.kind).create_details
    if create_details is not None:
        create_details(firm=firm, case=case, details=data.details)
    counted = tally.state_of(case, detail=data.tally_detail)
    tally.case_moved(firm_id=firm.pk, before=None, after=counted)
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=CaseEventType.CREATED,
        params={"status": data.status, "lead": getattr(data.lead, "pk", None)},
        timeline=data.applicants,
        timeline_type=CaseContactEventType.CASE_CREATED,
        summary=f"{reference}: {case.get_kind_display()} case opened",
        link=case.get_absolute_url(),
        timeline_params={"case_id": case.pk},
        verb=AuditVerb.CREATE,
        changes={
            "kind": [None, data.kind],
            "title": [None, case.title],
            "status": [None, data.status],
            "applicants": [None, [c.display_name for c in data.applicants]],
        },
    )
    if data.lead is not None:
        _convert_lead(firm=firm, actor=actor, lead=data.lead, case=case)
    return case


def _convert_lead(*, firm: Firm, actor: User | None, lead: Lead, case: Case) -> None:
    """Mark the lead Converted and link it to ``case`` (C3); a lead may lead to many."""
    previous = lead.status
    if previous != LeadStatus.CONVERTED:
        counted = lead_tally.state_of(lead)
        lead.status = LeadStatus.CONVERTED
        lead.converted_at = timezone.now()
        lead.save(update_fields=["status", "converted_at", "updated_at"])
        lead_tally.lead_moved(
            firm_id=firm.pk, before=counted, after=lead_tally.state_of(lead)
        )
    events.record(
        firm=firm,
        actor=actor,
        subject=lead,
        type=LeadEventType.CONVERTED,
        params={"from": previous, "case": case.reference, "case_id": case.pk},
        timeline=[lead.contact],
        timeline_type=LeadContactEventType.LEAD_CONVERTED,
        summary=f"Lead #{lead.pk} converted to {case.reference}",
        link=case.get_absolute_url(),
        timeline_params={"lead_id": lead.pk, "case_id": case.pk},
        verb=AuditVerb.STATUS_CHANGE,
        changes={
            "status": [previous, LeadStatus.CONVERTED],
            "case": [None, case.reference],
        },
    )


__all__ = [
    "NewCase",
    "case_create",
    "next_reference",
]
