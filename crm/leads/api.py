"""The leads API: the Leads list, one lead, open, change and move a lead (K1)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from crm.contacts import selectors as contact_selectors
from crm.core.api import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    CursorPage,
    LongText,
    Text32,
    Text200,
    Text254,
    cursor_page,
    principal_of,
    register_lookup,
    require,
    require_module,
    responses,
)
from crm.core.exceptions import ApplicationError
from crm.core.permissions import Perm
from crm.firms import selectors as firm_selectors
from crm.firms.models import Introducer, IntroducerBranch, Negotiator, User
from crm.leads import selectors, services
from crm.leads.choices import LeadSource, LeadStatus
from crm.leads.models import Lead

router = Router(tags=["Leads"])
MODULE = "advice"


class LeadOut(Schema):
    """A lead: an enquiry from a client, moving through the pipeline."""

    id: int
    contact_id: int
    status: LeadStatus
    source: LeadSource
    owner_id: int | None
    introducer_id: int | None
    introducer_branch_id: int | None
    negotiator_id: int | None
    follow_up_date: date | None
    notes: str
    not_proceeding_reason: str
    converted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class LeadFilter(Schema):
    """The Leads list's filters."""

    status: LeadStatus | Literal["open", ""] = Field(
        "", description="A status, or 'open' for every open one."
    )
    owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    source: LeadSource | Literal[""] = ""
    introducer_id: int | None = Field(None, ge=1, le=MAX_ID)
    follow_up: Literal["", "due", "overdue"] = ""
    q: Text200 = Field("", description="Part of the client's name or e-mail.")
    cursor: Text200 | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class LeadFields(Schema):
    """Who introduced the lead, who owns it, when to follow it up."""

    source: LeadSource = LeadSource.PHONE
    owner_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The adviser's user id."
    )
    introducer_id: int | None = Field(None, ge=1, le=MAX_ID)
    introducer_branch_id: int | None = Field(None, ge=1, le=MAX_ID)
    negotiator_id: int | None = Field(None, ge=1, le=MAX_ID)
    follow_up_date: date | None = None
    notes: LongText = ""


class LeadIn(LeadFields):
    """A new lead for an existing client."""

    contact_id: int = Field(..., ge=1, le=MAX_ID)


class LeadMoveIn(Schema):
    """The status to move to; Not Proceeding needs a reason."""

    status: Text32
    reason: Text254 = ""


def _lead(request: HttpRequest, lead_id: int) -> Lead:
    principal = require_module(request, MODULE)
    return selectors.lead_get(firm=principal.firm, lead_id=lead_id)


register_lookup("lead_id", _lead)


def _owner(request: HttpRequest, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return selectors.adviser_get(firm=principal_of(request).firm, user_id=user_id)


def _related(
    request: HttpRequest, data: LeadFields
) -> tuple[Introducer | None, IntroducerBranch | None, Negotiator | None]:
    firm = principal_of(request).firm
    introducer = branch = negotiator = None
    if data.introducer_id is not None:
        introducer = firm_selectors.introducer_get(
            firm=firm, introducer_id=data.introducer_id
        )
    if data.introducer_branch_id is not None:
        branch = firm_selectors.introducer_branch_get(
            firm=firm, introducer_branch_id=data.introducer_branch_id
        )
    if data.negotiator_id is not None:
        negotiator = firm_selectors.negotiator_get(
            firm=firm, negotiator_id=data.negotiator_id
        )
    return introducer, branch, negotiator


@router.get(
    "",
    operation_id="lead_list",
    summary="List leads",
    response=responses(200, CursorPage[LeadOut]),
)
def lead_list(request: HttpRequest, filters: Query[LeadFilter]) -> dict[str, Any]:
    """List the firm's leads with the Leads list's filters, oldest first."""
    principal = require_module(request, MODULE)
    query = selectors.LeadListQuery(
        status=filters.status or None,
        owner_id=filters.owner_id,
        source=filters.source,
        introducer_id=filters.introducer_id,
        follow_up=filters.follow_up,
        q=filters.q,
    )
    qs = selectors.lead_list(firm=principal.firm, **query.as_kwargs())
    items, next_cursor = cursor_page(qs, cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/{int:lead_id}",
    operation_id="lead_get",
    summary="Get a lead",
    response=responses(200, LeadOut),
)
def lead_get(request: HttpRequest, lead_id: int) -> Lead:
    """Return one of the firm's leads."""
    return _lead(request, lead_id)


@router.post(
    "",
    operation_id="lead_create",
    summary="Open a lead",
    response=responses(201, LeadOut, write=True),
)
def lead_create(request: HttpRequest, data: LeadIn) -> Status[Lead]:
    """Open a lead for a client at New Lead."""
    require_module(request, MODULE)
    principal = require(request, Perm.EDIT_CASES)
    contact = contact_selectors.contact_get(
        firm=principal.firm, contact_id=data.contact_id
    )
    introducer, branch, negotiator = _related(request, data)
    lead = services.lead_create(
        firm=principal.firm,
        actor=principal.user,
        contact=contact,
        source=data.source,
        owner=_owner(request, data.owner_id),
        introducer=introducer,
        introducer_branch=branch,
        negotiator=negotiator,
        follow_up_date=data.follow_up_date,
        notes=data.notes,
    )
    return Status(201, _lead(request, lead.pk))


@router.put(
    "/{int:lead_id}",
    operation_id="lead_update",
    summary="Change a lead",
    response=responses(200, LeadOut, write=True),
)
def lead_update(request: HttpRequest, lead_id: int, data: LeadFields) -> Lead:
    """Replace the lead's details; its history shows what changed."""
    principal = require(request, Perm.EDIT_CASES)
    lead = _lead(request, lead_id)
    introducer, branch, negotiator = _related(request, data)
    services.lead_update(
        firm=principal.firm,
        actor=principal.user,
        lead=lead,
        source=data.source,
        owner=_owner(request, data.owner_id),
        introducer=introducer,
        introducer_branch=branch,
        negotiator=negotiator,
        follow_up_date=data.follow_up_date,
        notes=data.notes,
    )
    return _lead(request, lead_id)


@router.post(
    "/{int:lead_id}/move",
    operation_id="lead_move",
    summary="Move a lead to another status",
    response=responses(200, LeadOut, write=True),
)
def lead_move(request: HttpRequest, lead_id: int, data: LeadMoveIn) -> Lead:
    """Move the lead as the pipeline allows; Converted is by opening a case."""
    principal = require(request, Perm.EDIT_CASES)
    lead = _lead(request, lead_id)
    if not data.status:
        raise ApplicationError("Choose a status.", "required", {"field": "status"})
    services.lead_move(
        firm=principal.firm,
        actor=principal.user,
        lead=lead,
        status=data.status,
        reason=data.reason,
    )
    return _lead(request, lead_id)
