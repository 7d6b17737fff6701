"""The cases API for every kind: list, read, change, move, reopen, history (K1).

Creating a case is the kind's own endpoint (``/cases/advice``,
``/cases/support``), since each kind asks for different things; every case,
whatever its kind, is read and moved here through the kernel's selectors and
services, so its transition table and the principal's visibility hold.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from crm.cases import kinds as case_kinds
from crm.cases import selectors
from crm.cases.models import Case
from crm.cases.services import applicants as applicant_services
from crm.cases.services import status as status_services
from crm.contacts import selectors as contact_selectors
from crm.core.api import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    CursorPage,
    LongText,
    PageQuery,
    Text32,
    Text200,
    Text254,
    cursor_page,
    principal_of,
    register_lookup,
    require,
    responses,
)
from crm.core.exceptions import ApplicationError
from crm.core.permissions import Perm
from crm.firms import selectors as firm_selectors
from crm.firms.models import User

router = Router(tags=["Cases"])
Tab = Literal["all", "open", "closed"]
FollowUp = Literal["", "due", "overdue"]


class ApplicantOut(Schema):
    """A client on a case; position 1 is the main applicant."""

    contact_id: int
    position: int
    display_name: str = Field(..., alias="contact.display_name")


class ApplicantIn(Schema):
    """The client (a person of the firm) to add as the joint applicant."""

    contact_id: int = Field(..., ge=1, le=MAX_ID)


class CaseOut(Schema):
    """A case of any kind; kind details are sub-resources of the case."""

    id: int
    reference: str
    kind: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    is_open: bool
    title: str
    owner_id: int | None
    follow_up_date: date | None
    follow_up_state: str = Field(
        "", description="'overdue', 'due' (today) or '' for no follow-up due."
    )
    note: str
    is_joint: bool
    lead_id: int | None
    introducer_id: int | None
    introducer_branch_id: int | None
    negotiator_id: int | None
    close_reason: str
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    applicants: list[ApplicantOut]
    next_statuses: list[str] = Field(
        ...,
        description=(
            "The statuses the case may move to now (POST /cases/{case_id}/move),"
            " in pipeline order; empty once it is closed."
        ),
    )

    @staticmethod
    def resolve_applicants(case: Case) -> list[Any]:
        return list(case.applicants.all())

    @staticmethod
    def resolve_next_statuses(case: Case) -> list[str]:
        return next_statuses(case)


def next_statuses(case: Case) -> list[str]:
    """Return the statuses ``case`` may move to, in its kind's pipeline order."""
    kind = case_kinds.get(case.kind)
    allowed = kind.moves_from(case.status)
    return [status for status in kind.status_values() if status in allowed]


class CaseFilter(Schema):
    """The Cases list's filters, as the list page takes them."""

    tab: Tab = "all"
    kind: Text32 = Field("", description="A kind of case, e.g. 'mortgage'.")
    status: Text32 = Field("", description="A status of the chosen kind.")
    owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    introducer_id: int | None = Field(None, ge=1, le=MAX_ID)
    follow_up: FollowUp = ""
    created_from: date | None = None
    created_to: date | None = None
    q: Text200 = Field("", description="Start of a reference, or a client's name.")
    cursor: Text200 | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class CaseUpdateIn(Schema):
    """A case's adviser, follow-up date and note; a field left out stays."""

    owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    follow_up_date: date | None = None
    note: LongText | None = None


class MoveIn(Schema):
    """The status to move to; some statuses (not proceeding) need a reason."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "meeting"}]})

    status: Text32 = Field(
        ..., description="One of the case's ``next_statuses``, e.g. 'meeting'."
    )
    reason: Text254 = ""


class ReopenIn(Schema):
    """The open status to reopen at, and why."""

    status: Text32
    reason: Text254


class HistoryOut(Schema):
    """One entry of a case's history."""

    id: int
    type: str
    parameters: dict[str, Any]
    actor_id: int | None
    created_at: datetime


def case_for(request: HttpRequest, case_id: int) -> Case:
    """Return the case ``case_id`` if the request's principal may see it."""
    principal = principal_of(request)
    return selectors.case_get(
        firm=principal.firm,
        case_id=case_id,
        principal=principal,
        kinds=tuple(k.value for k in case_kinds.kinds_for(principal.firm)),
    )


register_lookup("case_id", case_for)


def member_user(request: HttpRequest, user_id: int | None, field: str) -> User | None:
    """Return the active member with ``user_id`` (None for None), or refuse."""
    if user_id is None:
        return None
    firm = principal_of(request).firm
    if user_id not in dict(firm_selectors.member_choices(firm=firm)):
        raise ApplicationError(
            "Choose an active member of this firm.", "invalid", {"field": field}
        )
    return firm_selectors.membership_list(firm=firm).get(user_id=user_id).user


@router.get(
    "",
    operation_id="case_list",
    summary="List cases",
    response=responses(200, CursorPage[CaseOut]),
)
def case_list(request: HttpRequest, filters: Query[CaseFilter]) -> dict[str, Any]:
    """List the cases the principal may see, of every kind the firm has."""
    principal = principal_of(request)
    if filters.kind and case_kinds.find(filters.kind) is None:
        raise ApplicationError(
            "Unknown kind of case.", "invalid", {"field": "kind", "location": "query"}
        )
    query = selectors.CaseListQuery(
        tab=filters.tab,
        kind=filters.kind,
        kinds=tuple(k.value for k in case_kinds.kinds_for(principal.firm)),
        status=filters.status,
        owner_id=filters.owner_id,
        introducer_id=filters.introducer_id,
        follow_up=filters.follow_up,
        created_from=filters.created_from,
        created_to=filters.created_to,
        q=filters.q,
    )
    qs = selectors.case_list(
        firm=principal.firm, principal=principal, **query.as_kwargs()
    )
    items, next_cursor = cursor_page(qs, cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/{int:case_id}",
    operation_id="case_get",
    summary="Get a case",
    response=responses(200, CaseOut),
)
def case_get(request: HttpRequest, case_id: int) -> Case:
    """Return one case with its applicants."""
    return case_for(request, case_id)


@router.get(
    "/{int:case_id}/applicants",
    operation_id="case_applicant_list",
    summary="List a case's applicants",
    response=responses(200, list[ApplicantOut]),
)
def case_applicant_list(request: HttpRequest, case_id: int) -> list[Any]:
    """List the clients on a case, the main applicant first."""
    return list(case_for(request, case_id).applicants.all())


@router.post(
    "/{int:case_id}/applicants",
    operation_id="case_applicant_add",
    summary="Add a joint applicant to a case",
    response=responses(201, list[ApplicantOut], write=True),
)
def case_applicant_add(
    request: HttpRequest, case_id: int, data: ApplicantIn
) -> Status[list[Any]]:
    """Add a client as the joint applicant of an open mortgage or protection case.

    409 when the case is closed or locked, already has two clients, or is a
    support case (its beneficiary never changes); 400 for a client already on
    the case or an organisation; 404 for another firm's client.
    """
    principal = require(request, Perm.EDIT_CASES)
    case = case_for(request, case_id)
    contact = contact_selectors.contact_get(
        firm=principal.firm, contact_id=data.contact_id
    )
    applicant_services.case_applicant_add(
        firm=principal.firm, actor=principal.user, case=case, contact=contact
    )
    return Status(201, list(case_for(request, case_id).applicants.all()))


@router.delete(
    "/{int:case_id}/applicants/{int:contact_id}",
    operation_id="case_applicant_remove",
    summary="Remove a case's joint applicant",
    response=responses(204, None, write=True),
)
def case_applicant_remove(
    request: HttpRequest, case_id: int, contact_id: int
) -> Status[None]:
    """Take the joint applicant off an open case; the main applicant stays (409)."""
    principal = require(request, Perm.EDIT_CASES)
    case = case_for(request, case_id)
    contact = contact_selectors.contact_get(firm=principal.firm, contact_id=contact_id)
    applicant_services.case_applicant_remove(
        firm=principal.firm, actor=principal.user, case=case, contact=contact
    )
    return Status(204, None)


@router.patch(
    "/{int:case_id}",
    operation_id="case_update",
    summary="Change a case's adviser, follow-up or note",
    response=responses(200, CaseOut, write=True),
)
def case_update(request: HttpRequest, case_id: int, data: CaseUpdateIn) -> Case:
    """Change the fields sent; the case's history shows the change."""
    principal = require(request, Perm.EDIT_CASES)
    case = case_for(request, case_id)
    sent = data.model_dump(exclude_unset=True)
    owner = (
        member_user(request, data.owner_id, "owner_id")
        if "owner_id" in sent
        else case.owner
    )
    status_services.case_update(
        firm=principal.firm,
        actor=principal.user,
        case=case,
        owner=owner,
        follow_up_date=sent.get("follow_up_date", case.follow_up_date),
        note=data.note if data.note is not None else case.note,
    )
    return case_for(request, case_id)


@router.post(
    "/{int:case_id}/move",
    operation_id="case_move",
    summary="Move a case to another status",
    response=responses(200, CaseOut, write=True),
)
def case_move(request: HttpRequest, case_id: int, data: MoveIn) -> Case:
    """Move the case as its kind's transition table allows (409 otherwise)."""
    principal = require(request, Perm.EDIT_CASES)
    case = case_for(request, case_id)
    try:
        status_services.case_move(
            firm=principal.firm,
            actor=principal.user,
            case=case,
            status=data.status,
            reason=data.reason,
        )
    except ApplicationError as exc:
        if exc.code != "illegal_transition":
            raise
        allowed = ", ".join(next_statuses(case)) or "none (it is closed)"
        message = f"{exc.message} It may move to: {allowed}."
        raise ApplicationError(message, exc.code, exc.extra) from exc
    return case_for(request, case_id)


@router.post(
    "/{int:case_id}/reopen",
    operation_id="case_reopen",
    summary="Reopen a closed case",
    response=responses(200, CaseOut, write=True),
)
def case_reopen(request: HttpRequest, case_id: int, data: ReopenIn) -> Case:
    """Reopen a closed case at an open status; a reason is required."""
    principal = require(request, Perm.EDIT_CASES)
    case = case_for(request, case_id)
    status_services.case_reopen(
        firm=principal.firm,
        actor=principal.user,
        case=case,
        status=data.status,
        reason=data.reason,
    )
    return case_for(request, case_id)


@router.get(
    "/{int:case_id}/history",
    operation_id="case_history",
    summary="List a case's history",
    response=responses(200, CursorPage[HistoryOut]),
)
def case_history(
    request: HttpRequest, case_id: int, page: Query[PageQuery]
) -> dict[str, Any]:
    """List what happened to the case, oldest first."""
    principal = principal_of(request)
    case = case_for(request, case_id)
    rows = selectors.case_history(firm=principal.firm, case=case)
    items, next_cursor = cursor_page(rows, cursor=page.cursor, limit=page.limit)
    return {"items": items, "next_cursor": next_cursor}
