"""The interactions API: a client's or lead's calls, meetings and notes (K1)."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from crm.cases.api import case_for
from crm.contacts import selectors as contact_selectors
from crm.core.api import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    CursorPage,
    LongText,
    Text200,
    cursor_page,
    principal_of,
    require,
    responses,
    user_of,
)
from crm.core.exceptions import ApplicationError
from crm.core.permissions import Perm
from crm.firms import selectors as firm_selectors
from crm.interactions import selectors, services
from crm.interactions.choices import InteractionKind
from crm.interactions.models import Interaction
from crm.leads import selectors as lead_selectors

router = Router(tags=["Interactions"])


class InteractionOut(Schema):
    """A logged call, visit, e-mail or meeting, or a note."""

    id: int
    kind: InteractionKind
    occurred_at: datetime
    interaction_type_id: int | None
    notes: str
    contact_id: int | None
    lead_id: int | None
    case_id: int | None
    created_by_id: int | None
    created_at: datetime


class InteractionFilter(Schema):
    """Whose interactions to list: a contact's (with its leads') or a lead's."""

    contact_id: int | None = Field(None, ge=1, le=MAX_ID)
    lead_id: int | None = Field(None, ge=1, le=MAX_ID)
    cursor: Text200 | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class InteractionIn(Schema):
    """An interaction (with a type and time) or a note, on one of a contact,
    a lead or a case."""

    kind: Literal["interaction", "note"] = "interaction"
    notes: LongText
    interaction_type_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Required for an interaction."
    )
    occurred_at: datetime | None = Field(
        None, description="When it happened; required for an interaction."
    )
    contact_id: int | None = Field(None, ge=1, le=MAX_ID)
    lead_id: int | None = Field(None, ge=1, le=MAX_ID)
    case_id: int | None = Field(None, ge=1, le=MAX_ID)


@router.get(
    "",
    operation_id="interaction_list",
    summary="List a contact's or a lead's interactions",
    response=responses(200, CursorPage[InteractionOut]),
)
def interaction_list(
    request: HttpRequest, filters: Query[InteractionFilter]
) -> dict[str, Any]:
    """List the interactions and notes of one contact or one lead, oldest first."""
    principal = principal_of(request)
    firm = principal.firm
    if (filters.contact_id is None) == (filters.lead_id is None):
        raise ApplicationError(
            "Give either contact_id or lead_id.", "invalid", {"field": "contact_id"}
        )
    contact = lead = None
    if filters.contact_id is not None:
        contact = contact_selectors.contact_get(
            firm=firm, contact_id=filters.contact_id
        )
    else:
        lead = lead_selectors.lead_get(firm=firm, lead_id=filters.lead_id or 0)
    qs = selectors.interaction_list_for(
        firm=firm, principal=principal, contact=contact, lead=lead
    )
    items, next_cursor = cursor_page(qs, cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.post(
    "",
    operation_id="interaction_create",
    summary="Log an interaction or add a note",
    response=responses(201, InteractionOut, write=True),
)
def interaction_create(
    request: HttpRequest, data: InteractionIn
) -> Status[Interaction]:
    """Log it on the contact's timeline (and the lead's or case's history)."""
    principal = require(request, Perm.EDIT_CASES)
    firm = principal.firm
    contact = (
        contact_selectors.contact_get(firm=firm, contact_id=data.contact_id)
        if data.contact_id is not None
        else None
    )
    lead = (
        lead_selectors.lead_get(firm=firm, lead_id=data.lead_id)
        if data.lead_id is not None
        else None
    )
    if data.kind == "note":
        if data.case_id is not None:
            raise ApplicationError(
                "Add a note to a contact or a lead.", "invalid", {"field": "case_id"}
            )
        entry = services.note_add(
            firm=firm,
            actor=user_of(principal),
            notes=data.notes,
            contact=contact,
            lead=lead,
        )
        return Status(201, entry)
    if data.interaction_type_id is None:
        raise ApplicationError(
            "Choose a type.", "required", {"field": "interaction_type_id"}
        )
    if data.occurred_at is None:
        raise ApplicationError(
            "Say when it happened.", "required", {"field": "occurred_at"}
        )
    entry = services.interaction_log(
        firm=firm,
        actor=user_of(principal),
        occurred_at=data.occurred_at,
        interaction_type=firm_selectors.interaction_type_get(
            firm=firm, interaction_type_id=data.interaction_type_id
        ),
        notes=data.notes,
        contact=contact,
        lead=lead,
        case=case_for(request, data.case_id) if data.case_id is not None else None,
    )
    return Status(201, entry)
