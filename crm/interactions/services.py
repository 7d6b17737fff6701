"""Writes about interactions and notes on contacts, leads and cases (J2, I6, I7).

Each service stores the row on the contact, lead or case (a lead's or a
case's row also carries its client, so the client record lists it), adds an
entry to the client's timeline and records the change in the audit log.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from crm.cases.models import Case, CaseApplicant
from crm.contacts.models import Contact
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, InteractionType, User
from crm.interactions.choices import (
    InteractionCaseEventType,
    InteractionContactEventType,
    InteractionKind,
)
from crm.interactions.models import Interaction
from crm.leads.models import Lead

SUMMARY_CHARS = 120
FUTURE_LIMIT = timedelta(days=1)


def case_clients(firm: Firm, case: Case) -> list[Contact]:
    """Return the case's clients, main one first; the case must be open."""
    ensure_same_firm(firm, case)
    if not case.is_open:
        raise ApplicationError(
            "This case is closed. Reopen it to log an interaction.", "case_closed"
        )
    clients = [
        applicant.contact
        for applicant in CaseApplicant.objects.filter(firm=firm, case=case)
        .select_related("contact")
        .order_by("position")
    ]
    if not clients:
        raise ApplicationError("The case has no client to log this on.")
    return clients


def _case_client(firm: Firm, case: Case) -> Contact:
    """Return the case's main client (a support case's beneficiary)."""
    return case_clients(firm, case)[0]


def _subject(
    firm: Firm, contact: Contact | None, lead: Lead | None
) -> tuple[Contact, Lead | None]:
    """Return the contact and lead the entry is about; exactly one is given."""
    if lead is not None and contact is None:
        ensure_same_firm(firm, lead)
        return lead.contact, lead
    if contact is not None and lead is None:
        ensure_same_firm(firm, contact)
        return contact, None
    raise ApplicationError("Choose either a contact or a lead to log this on.")


def _notes(notes: str) -> str:
    notes = notes.strip()
    if not notes:
        raise ApplicationError("Enter some notes.", "required", {"field": "notes"})
    return notes


def _record(
    entry: Interaction,
    *,
    firm: Firm,
    actor: User | None,
    contact: Contact,
    label: str,
    timeline: list[Contact] | None = None,
) -> Interaction:
    """Save ``entry``, then add it to the timelines and the audit log.

    ``timeline`` is every client whose timeline shows it (both applicants of
    a joint case); by default, ``contact`` alone.
    """
    entry.full_clean()
    entry.save()
    is_note = entry.kind == InteractionKind.NOTE
    events.record(
        firm=firm,
        actor=actor,
        subject=entry.case,
        type=InteractionCaseEventType.INTERACTION_LOGGED
        if entry.case is not None
        else "",
        params={
            "label": f"Touchpoint with {contact.display_name}"
            if entry.kind == InteractionKind.TOUCHPOINT
            else label,
            "interaction_id": entry.pk,
            "occurred_at": entry.occurred_at.isoformat(),
        },
        timeline=timeline or [contact],
        timeline_type=InteractionContactEventType.NOTE
        if is_note
        else InteractionContactEventType.INTERACTION,
        summary=f"{label}: {entry.notes[:SUMMARY_CHARS]}",
        link=entry.case.get_absolute_url() if entry.case is not None else "",
        timeline_params={
            "interaction_id": entry.pk,
            "lead_id": entry.lead_id,
            "case_id": entry.case_id,
        },
        verb=AuditVerb.CREATE,
        audit_obj=entry,
        changes={
            "kind": [None, entry.kind],
            "type": [None, label],
            "occurred_at": [None, entry.occurred_at],
            "duration_minutes": [None, entry.duration_minutes],
            "contact": [None, contact],
            "lead": [None, entry.lead],
            "case": [None, entry.case],
        },
    )
    return entry


@transaction.atomic
def interaction_log(
    *,
    firm: Firm,
    actor: User,
    occurred_at: datetime,
    interaction_type: InteractionType,
    notes: str,
    contact: Contact | None = None,
    lead: Lead | None = None,
    case: Case | None = None,
    duration_minutes: int | None = None,
) -> Interaction:
    """Log a call, visit, e-mail or meeting with a contact, about a lead or on a case.

    The type must be one of the firm's active interaction types, and the
    time may be at most a day ahead (for time zone slips, not planning). On
    a case (which must be open) the entry is also about its main client and
    shows on every applicant's timeline.
    """
    clients: list[Contact] = []
    if case is not None:
        if contact is not None or lead is not None:
            raise ApplicationError("Log this on the case only.")
        clients = case_clients(firm, case)
        contact = clients[0]
    contact, lead = _subject(firm, contact, lead)
    if interaction_type.firm_id != firm.pk or not interaction_type.is_active:
        raise ApplicationError(
            "Choose one of the firm's interaction types.",
            "invalid",
            {"field": "interaction_type"},
        )
    if occurred_at > timezone.now() + FUTURE_LIMIT:
        raise ApplicationError(
            "The date and time can't be more than a day in the future.",
            "invalid",
            {"field": "occurred_at"},
        )
    entry = Interaction(
        firm=firm,
        kind=InteractionKind.INTERACTION,
        occurred_at=occurred_at,
        interaction_type=interaction_type,
        notes=_notes(notes),
        duration_minutes=duration_minutes,
        contact=contact,
        lead=lead,
        case=case,
        created_by=actor,
    )
    return _record(
        entry,
        firm=firm,
        actor=actor,
        contact=contact,
        label=interaction_type.name,
        timeline=clients,
    )


@transaction.atomic
def touchpoint_log(
    *, firm: Firm, actor: User | None, case: Case, contact: Contact, notes: str
) -> Interaction:
    """Log a touchpoint with an external service (``contact``) on a case (I6).

    It lists in the case's interactions and on the service's own record.
    ``actor`` is None when the service itself answered through a partner
    link (I12).
    """
    _case_client(firm, case)
    ensure_same_firm(firm, contact)
    entry = Interaction(
        firm=firm,
        kind=InteractionKind.TOUCHPOINT,
        occurred_at=timezone.now(),
        notes=_notes(notes),
        contact=contact,
        case=case,
        created_by=actor,
    )
    label = f"Touchpoint on {case.reference}"
    return _record(entry, firm=firm, actor=actor, contact=contact, label=label)


@transaction.atomic
def note_add(
    *,
    firm: Firm,
    actor: User,
    notes: str,
    contact: Contact | None = None,
    lead: Lead | None = None,
    case: Case | None = None,
) -> Interaction:
    """Add a dated note to a contact, a lead or an open case.

    A case's note is also about its main client and shows on every
    applicant's timeline and in the case's History.
    """
    clients: list[Contact] = []
    if case is not None:
        if contact is not None or lead is not None:
            raise ApplicationError("Add the note to the case only.")
        clients = case_clients(firm, case)
        contact = clients[0]
    contact, lead = _subject(firm, contact, lead)
    entry = Interaction(
        firm=firm,
        kind=InteractionKind.NOTE,
        occurred_at=timezone.now(),
        notes=_notes(notes),
        contact=contact,
        lead=lead,
        case=case,
        created_by=actor,
    )
    label = str(InteractionKind.NOTE.label)
    return _record(
        entry, firm=firm, actor=actor, contact=contact, label=label, timeline=clients
    )
