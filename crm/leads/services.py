"""Writes about leads: create, change details, move through the pipeline (C1, C2).

Each service checks that every related row belongs to the firm, then records
one event (``crm.core.events.record``): the lead's history row, the client's
timeline entry and the audit row, all in one transaction.
"""

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.text import capfirst

from crm.contacts.choices import ContactEventType
from crm.contacts.models import Contact
from crm.core import concurrency, events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms import selectors as firm_selectors
from crm.firms import services as firm_services
from crm.firms.models import (
    Firm,
    Introducer,
    IntroducerBranch,
    Negotiator,
    User,
)
from crm.leads.choices import (
    TRANSITIONS,
    LeadContactEventType,
    LeadEventType,
    LeadSource,
    LeadStatus,
)
from crm.leads.models import Lead
from crm.leads.tally import services as tally

DETAIL_FIELDS = (
    "source",
    "owner",
    "introducer",
    "introducer_branch",
    "negotiator",
    "follow_up_date",
    "notes",
)
# What the audit log records about a new lead (notes are left out).
CREATED_FIELDS = (
    "contact",
    "source",
    "owner",
    "introducer",
    "introducer_branch",
    "negotiator",
    "follow_up_date",
    "status",
)


def _refuse(message: str, field: str, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code, {"field": field})


def _check_related(
    firm: Firm,
    *,
    owner: User | None,
    introducer: Introducer | None,
    introducer_branch: IntroducerBranch | None,
    negotiator: Negotiator | None,
    check_owner: bool = True,
) -> None:
    """Refuse related rows of another firm, or an inconsistent introducer chain."""
    if (
        check_owner
        and owner is not None
        and not firm_selectors.may_own(firm=firm, user_id=owner.pk)
    ):
        raise _refuse(
            "Choose an adviser who is a member of this firm and may edit cases.",
            "owner",
        )
    firm_services.introducer_chain_check(
        firm=firm,
        introducer=introducer,
        introducer_branch=introducer_branch,
        negotiator=negotiator,
    )


def _check_source(source: str, introducer: Introducer | None) -> None:
    if source == LeadSource.INTRODUCER and introducer is None:
        raise _refuse("Choose the introducer who referred this client.", "introducer")


def _created_summary(lead: Lead) -> str:
    if lead.introducer is not None:
        summary = f"Lead introduced by {lead.introducer.name}"
    else:
        summary = f"Lead from {lead.get_source_display().lower()}"
    if lead.owner is not None:
        summary += f", adviser {lead.owner}"
    return summary


@transaction.atomic
def lead_create(
    *,
    firm: Firm,
    actor: User | None,
    contact: Contact,
    source: str = LeadSource.PHONE,
    owner: User | None = None,
    introducer: Introducer | None = None,
    introducer_branch: IntroducerBranch | None = None,
    negotiator: Negotiator | None = None,
    follow_up_date: date | None = None,
    notes: str = "",
) -> Lead:
    """Open a lead for ``contact`` at New Lead (C1)."""
    if contact.firm_id != firm.pk:
        raise _refuse("Choose a client of this firm.", "contact")
    if contact.is_archived:
        raise _refuse(
            f"{contact.display_name} is archived. Restore the client first.", "contact"
        )
    _check_related(
        firm,
        owner=owner,
        introducer=introducer,
        introducer_branch=introducer_branch,
        negotiator=negotiator,
    )
    _check_source(source, introducer)
    lead = Lead(
        firm=firm,
        contact=contact,
        source=source,
        owner=owner,
        introducer=introducer,
        introducer_branch=introducer_branch,
        negotiator=negotiator,
        follow_up_date=follow_up_date,
        notes=notes.strip(),
        status=LeadStatus.NEW_LEAD,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    lead.full_clean()
    lead.save()
    tally.lead_moved(firm_id=firm.pk, before=None, after=tally.state_of(lead))
    events.record(
        firm=firm,
        actor=actor,
        subject=lead,
        type=LeadEventType.CREATED,
        params={"status": lead.status, "source": lead.source},
        timeline=[contact],
        timeline_type=LeadContactEventType.LEAD_CREATED,
        summary=_created_summary(lead),
        link=lead.get_absolute_url(),
        timeline_params={"lead_id": lead.pk},
        verb=AuditVerb.CREATE,
        changes={
            name: [None, value]
            for name, value in events.snapshot(lead, CREATED_FIELDS).items()
            if value not in (None, "")
        },
    )
    return lead


def _readable(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Return ``changes`` keyed by field label, with sources as their labels."""
    readable = {}
    for name, values in changes.items():
        if name == "source":
            values = [LeadSource(v).label if v else v for v in values]
        label = capfirst(Lead._meta.get_field(name).verbose_name)  # type: ignore[union-attr]  # concrete fields have verbose_name
        readable[str(label)] = [str(v) if v is not None else None for v in values]
    return readable


def _field_names(changes: dict[str, list[Any]]) -> str:
    """Return the changed fields' names, as the lead's page labels them."""
    return ", ".join(
        str(Lead._meta.get_field(name).verbose_name)  # type: ignore[union-attr]  # concrete fields have verbose_name
        for name in changes
    )


@transaction.atomic
def lead_update(
    *,
    firm: Firm,
    actor: User | None,
    lead: Lead,
    source: str,
    owner: User | None,
    introducer: Introducer | None,
    introducer_branch: IntroducerBranch | None,
    negotiator: Negotiator | None,
    follow_up_date: date | None,
    notes: str,
    version: int | None = None,
) -> Lead:
    """Change a lead's details (not its status); history and audit show the diff.

    ``version`` is the one the form was opened on: a save over a newer one
    raises ``StaleVersion`` naming who changed what (A10).
    """
    ensure_same_firm(firm, lead)
    _check_related(
        firm,
        owner=owner,
        introducer=introducer,
        introducer_branch=introducer_branch,
        negotiator=negotiator,
        check_owner=owner is not None and owner.pk != lead.owner_id,
    )
    _check_source(source, introducer)
    before = events.snapshot(lead, DETAIL_FIELDS)
    counted = tally.state_of(lead)
    lead.source = source
    lead.owner = owner
    lead.introducer = introducer
    lead.introducer_branch = introducer_branch
    lead.negotiator = negotiator
    lead.follow_up_date = follow_up_date
    lead.notes = notes.strip()
    lead.full_clean()
    changes = events.diff(before, lead)
    if not changes:
        return lead
    concurrency.claim_version(firm=firm, instance=lead, version=version)
    lead.save(update_fields=[*changes, "updated_at"])
    tally.lead_moved(firm_id=firm.pk, before=counted, after=tally.state_of(lead))
    events.record(
        firm=firm,
        actor=actor,
        subject=lead,
        type=LeadEventType.UPDATED,
        params={"changes": _readable(changes)},
        timeline=[lead.contact],
        timeline_type=ContactEventType.UPDATED,
        summary=f"Lead #{lead.pk} details changed: {_field_names(changes)}",
        link=lead.get_absolute_url(),
        timeline_params={"lead_id": lead.pk, "fields": sorted(changes)},
        verb=AuditVerb.UPDATE,
        changes=changes,
    )
    return lead


def _check_move(lead: Lead, status: str, reason: str) -> None:
    if status not in LeadStatus.values:
        raise _refuse("Choose a status to move the lead to.", "status")
    current = LeadStatus(lead.status)
    target = LeadStatus(status)
    if target == LeadStatus.CONVERTED:
        raise _refuse("Use Add New Case to convert a lead.", "status", "use_convert")
    if target == current:
        raise _refuse(f"The lead is already at {current.label}.", "status", "unchanged")
    if target not in TRANSITIONS[current]:
        if current == LeadStatus.CONVERTED:
            message = "A converted lead can't be moved: it has become a case."
        else:
            message = f"A lead at {current.label} can't move to {target.label}."
        raise _refuse(message, "status", "illegal_transition")
    if target == LeadStatus.NOT_PROCEEDING and not reason.strip():
        raise _refuse(
            "Give a reason why the lead is not proceeding.", "reason", "required"
        )


@transaction.atomic
def lead_move(
    *, firm: Firm, actor: User | None, lead: Lead, status: str, reason: str = ""
) -> Lead:
    """Move a lead to another pipeline status, as the transition table allows.

    Not Proceeding needs a reason. Converted is refused here: a lead is
    converted by adding a case to it. The lead's row is locked and its status
    read afresh, so two moves at once can't both start from the same status.
    """
    ensure_same_firm(firm, lead)
    current = (
        Lead.objects.select_for_update()
        .filter(firm=firm, pk=lead.pk)
        .values("status", "not_proceeding_reason", "owner_id", "introducer_id")
        .first()
    )
    if current is None:
        raise ApplicationError("That lead is not in this firm.", "not_found")
    lead.status = current["status"]
    lead.not_proceeding_reason = current["not_proceeding_reason"]
    lead.owner_id = current["owner_id"]
    lead.introducer_id = current["introducer_id"]
    counted = tally.state_of(lead)
    _check_move(lead, status, reason)
    old = LeadStatus(lead.status)
    new = LeadStatus(status)
    old_reason = lead.not_proceeding_reason
    reason = reason.strip()[:300] if new == LeadStatus.NOT_PROCEEDING else ""
    lead.status = new
    lead.not_proceeding_reason = reason
    lead.full_clean()
    lead.save(update_fields=["status", "not_proceeding_reason", "updated_at"])
    tally.lead_moved(firm_id=firm.pk, before=counted, after=tally.state_of(lead))
    params = {"from": old.value, "to": new.value, "reason": reason}
    summary = f"Lead moved from {old.label} to {new.label}"
    changes: dict[str, list[str | None]] = {"status": [old.value, new.value]}
    if reason != old_reason:
        changes["not_proceeding_reason"] = [old_reason or None, reason or None]
    events.record(
        firm=firm,
        actor=actor,
        subject=lead,
        type=LeadEventType.STATUS_CHANGED,
        params=params,
        timeline=[lead.contact],
        timeline_type=LeadContactEventType.LEAD_STATUS,
        summary=f"{summary}: {reason}" if reason else summary,
        link=lead.get_absolute_url(),
        timeline_params={"lead_id": lead.pk, **params},
        verb=AuditVerb.STATUS_CHANGE,
        changes=changes,
    )
    return lead


def lead_client_names_refresh(*, firm: Firm, contact_ids: Collection[int]) -> int:
    """Copy the sort names of ``contact_ids`` onto their leads (the name sort).

    One UPDATE however many contacts were renamed; returns the leads updated.
    Called in the renaming service's transaction through
    ``crm.contacts.renames``; the rename records its own event.
    """
    name = Contact.objects.filter(firm=firm, pk=OuterRef("contact_id")).values(
        "sort_name"
    )[:1]
    return Lead.objects.filter(firm=firm, contact_id__in=list(contact_ids)).update(
        client_sort_name=Subquery(name)
    )
