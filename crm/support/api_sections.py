"""A support case's needs, outcomes, planned support and services (K1, I4-I6).

Each is listed, added, changed and removed through the same services as the
case page, so the page's rules hold: a closed case is read-only (409
``case_closed``), a plan's lead is a member who may own work, the
beneficiary is never their own external service, a contact is linked once.
"""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from crm.cases.models import Case
from crm.contacts import selectors as contact_selectors
from crm.core.api import (
    MAX_ID,
    LongText,
    Text80,
    Text300,
    principal_of,
    register_lookup,
    require,
    require_module,
    responses,
    user_of,
)
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.permissions import Perm
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User
from crm.support import selectors, services
from crm.support.choices import ItemKind, PlanStatus
from crm.support.models import ExternalService, PlannedSupport, SupportItem

router = Router(tags=["Support cases"])


class NeedOut(Schema):
    """A client need (I4)."""

    id: int
    case_id: int
    text: str
    created_at: datetime


class OutcomeOut(NeedOut):
    """A desired outcome (I4), with the date it was achieved, if it was."""

    achieved_on: date | None


class ItemIn(Schema):
    """The text of a need or an outcome, as typed into its box."""

    text: Text300


class OutcomeUpdateIn(Schema):
    """The date an outcome was achieved, or null for not achieved."""

    achieved_on: date | None


class PlanOut(Schema):
    """A piece of planned support (I5)."""

    id: int
    case_id: int
    description: str
    target_date: date | None
    lead_id: int | None
    status: str
    created_at: datetime
    updated_at: datetime


class PlanIn(Schema):
    """A planned support entry; on change, a field left out stays as it is."""

    description: Text300
    target_date: date | None = None
    lead_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="A member's user id."
    )
    status: PlanStatus = PlanStatus.PLANNED


class PlanUpdateIn(Schema):
    """The fields of a planned support entry to change."""

    description: Text300 | None = None
    target_date: date | None = None
    lead_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: PlanStatus | None = None


class ServiceOut(Schema):
    """An external service (a CRM contact in a role) working with the client (I6)."""

    id: int
    case_id: int
    contact_id: int
    role: str
    created_at: datetime


class ServiceIn(Schema):
    """Link a contact in a role; a note is logged as a touchpoint interaction."""

    contact_id: int = Field(..., ge=1, le=MAX_ID)
    role: Text80
    note: LongText = ""


def _case(request: HttpRequest, support_case_id: int) -> Case:
    principal = require_module(request, "support")
    return selectors.support_case_get(
        firm=principal.firm, case_id=support_case_id, principal=principal
    )


def _item(request: HttpRequest, item_id: int, kind: str) -> SupportItem:
    principal = require_module(request, "support")
    item = selectors.support_item_get(
        firm=principal.firm, item_id=item_id, principal=principal
    )
    if item.kind != kind:
        raise NotFound
    return item


def _need(request: HttpRequest, need_id: int) -> SupportItem:
    return _item(request, need_id, ItemKind.NEED)


def _outcome(request: HttpRequest, outcome_id: int) -> SupportItem:
    return _item(request, outcome_id, ItemKind.OUTCOME)


def _plan(request: HttpRequest, planned_support_id: int) -> PlannedSupport:
    principal = require_module(request, "support")
    return selectors.plan_get(
        firm=principal.firm, plan_id=planned_support_id, principal=principal
    )


def _service(request: HttpRequest, external_service_id: int) -> ExternalService:
    principal = require_module(request, "support")
    return selectors.service_get(
        firm=principal.firm, link_id=external_service_id, principal=principal
    )


register_lookup("need_id", _need)
register_lookup("outcome_id", _outcome)
register_lookup("planned_support_id", _plan)
register_lookup("external_service_id", _service)


def _writer(request: HttpRequest) -> tuple[Firm, User]:
    principal = require(request, Perm.EDIT_CASES)
    require_module(request, "support")
    return principal.firm, user_of(principal)


def _renamed(exc: ApplicationError, fields: dict[str, str]) -> ApplicationError:
    """Name the API's field (``lead_id``) in a service's error."""
    if exc.field in fields:
        exc.extra["field"] = fields[exc.field]
    return exc


# Needs and outcomes ------------------------------------------------------------


def _items(request: HttpRequest, support_case_id: int, kind: str) -> list[SupportItem]:
    case = _case(request, support_case_id)
    return selectors.items_of(firm=principal_of(request).firm, case=case, kind=kind)


def _item_add(
    request: HttpRequest, support_case_id: int, kind: str, text: str
) -> SupportItem:
    firm, actor = _writer(request)
    case = _case(request, support_case_id)
    return services.item_add(firm=firm, actor=actor, case=case, kind=kind, text=text)


@router.get(
    "/cases/{int:support_case_id}/needs",
    operation_id="need_list",
    summary="List a support case's client needs",
    response=responses(200, list[NeedOut]),
)
def need_list(request: HttpRequest, support_case_id: int) -> list[SupportItem]:
    """List the client needs, oldest first."""
    return _items(request, support_case_id, ItemKind.NEED)


@router.post(
    "/cases/{int:support_case_id}/needs",
    operation_id="need_create",
    summary="Add a client need",
    response=responses(201, NeedOut, write=True),
)
def need_create(
    request: HttpRequest, support_case_id: int, data: ItemIn
) -> Status[SupportItem]:
    """Add a need, as the case page's box does (409 on a closed case)."""
    return Status(201, _item_add(request, support_case_id, ItemKind.NEED, data.text))


@router.delete(
    "/needs/{int:need_id}",
    operation_id="need_delete",
    summary="Remove a client need",
    response=responses(204, None, write=True),
)
def need_delete(request: HttpRequest, need_id: int) -> Status[None]:
    """Remove a need; the case's history keeps its text."""
    firm, actor = _writer(request)
    services.item_remove(firm=firm, actor=actor, item=_need(request, need_id))
    return Status(204, None)


@router.get(
    "/cases/{int:support_case_id}/outcomes",
    operation_id="outcome_list",
    summary="List a support case's desired outcomes",
    response=responses(200, list[OutcomeOut]),
)
def outcome_list(request: HttpRequest, support_case_id: int) -> list[SupportItem]:
    """List the desired outcomes, oldest first."""
    return _items(request, support_case_id, ItemKind.OUTCOME)


@router.post(
    "/cases/{int:support_case_id}/outcomes",
    operation_id="outcome_create",
    summary="Add a desired outcome",
    response=responses(201, OutcomeOut, write=True),
)
def outcome_create(
    request: HttpRequest, support_case_id: int, data: ItemIn
) -> Status[SupportItem]:
    """Add a desired outcome (409 on a closed case)."""
    item = _item_add(request, support_case_id, ItemKind.OUTCOME, data.text)
    return Status(201, item)


@router.patch(
    "/outcomes/{int:outcome_id}",
    operation_id="outcome_update",
    summary="Mark a desired outcome achieved, or not achieved",
    response=responses(200, OutcomeOut, write=True),
)
def outcome_update(
    request: HttpRequest, outcome_id: int, data: OutcomeUpdateIn
) -> SupportItem:
    """Set the date achieved (not in the future), or null for not achieved."""
    firm, actor = _writer(request)
    return services.outcome_set_achieved(
        firm=firm,
        actor=actor,
        item=_outcome(request, outcome_id),
        achieved_on=data.achieved_on,
    )


@router.delete(
    "/outcomes/{int:outcome_id}",
    operation_id="outcome_delete",
    summary="Remove a desired outcome",
    response=responses(204, None, write=True),
)
def outcome_delete(request: HttpRequest, outcome_id: int) -> Status[None]:
    """Remove a desired outcome; the case's history keeps its text."""
    firm, actor = _writer(request)
    services.item_remove(firm=firm, actor=actor, item=_outcome(request, outcome_id))
    return Status(204, None)


# Planned support ----------------------------------------------------------------


def _lead(
    firm: Firm, lead_id: int | None, current: PlannedSupport | None
) -> User | None:
    """Return the member ``lead_id`` (the service checks they may own work)."""
    if lead_id is None:
        return None
    if current is not None and current.lead_id == lead_id:
        return current.lead
    membership = (
        firm_selectors.membership_list(firm=firm).filter(user_id=lead_id).first()
    )
    if membership is None:
        raise ApplicationError(
            "Choose a lead who is an active member of this firm.",
            "invalid",
            {"field": "lead_id"},
        )
    return membership.user


@router.get(
    "/cases/{int:support_case_id}/planned-support",
    operation_id="planned_support_list",
    summary="List a support case's planned support",
    response=responses(200, list[PlanOut]),
)
def planned_support_list(
    request: HttpRequest, support_case_id: int
) -> list[PlannedSupport]:
    """List the planned support, by target date (undated last)."""
    case = _case(request, support_case_id)
    return selectors.plans_of(firm=principal_of(request).firm, case=case)


@router.post(
    "/cases/{int:support_case_id}/planned-support",
    operation_id="planned_support_create",
    summary="Add planned support",
    response=responses(201, PlanOut, write=True),
)
def planned_support_create(
    request: HttpRequest, support_case_id: int, data: PlanIn
) -> Status[PlannedSupport]:
    """Add a planned support entry to an open case (I5)."""
    firm, actor = _writer(request)
    case = _case(request, support_case_id)
    values = services.PlanData(
        description=data.description,
        target_date=data.target_date,
        lead=_lead(firm, data.lead_id, None),
        status=data.status,
    )
    try:
        plan = services.plan_add(firm=firm, actor=actor, case=case, data=values)
    except ApplicationError as exc:
        raise _renamed(exc, {"lead": "lead_id"}) from exc
    return Status(201, plan)


@router.patch(
    "/planned-support/{int:planned_support_id}",
    operation_id="planned_support_update",
    summary="Change planned support",
    response=responses(200, PlanOut, write=True),
)
def planned_support_update(
    request: HttpRequest, planned_support_id: int, data: PlanUpdateIn
) -> PlannedSupport:
    """Change the fields sent; history shows what changed."""
    firm, actor = _writer(request)
    plan = _plan(request, planned_support_id)
    sent = data.model_dump(exclude_unset=True)
    values = services.PlanData(
        description=sent.get("description") or plan.description,
        target_date=sent.get("target_date", plan.target_date),
        lead=(_lead(firm, sent["lead_id"], plan) if "lead_id" in sent else plan.lead),
        status=sent.get("status") or plan.status,
    )
    try:
        return services.plan_update(firm=firm, actor=actor, plan=plan, data=values)
    except ApplicationError as exc:
        raise _renamed(exc, {"lead": "lead_id"}) from exc


@router.delete(
    "/planned-support/{int:planned_support_id}",
    operation_id="planned_support_delete",
    summary="Delete planned support",
    response=responses(204, None, write=True),
)
def planned_support_delete(
    request: HttpRequest, planned_support_id: int
) -> Status[None]:
    """Delete a planned support entry; history keeps its description."""
    firm, actor = _writer(request)
    services.plan_delete(
        firm=firm, actor=actor, plan=_plan(request, planned_support_id)
    )
    return Status(204, None)


# External services ----------------------------------------------------------------


@router.get(
    "/cases/{int:support_case_id}/external-services",
    operation_id="external_service_list",
    summary="List a support case's external services",
    response=responses(200, list[ServiceOut]),
)
def external_service_list(
    request: HttpRequest, support_case_id: int
) -> list[ExternalService]:
    """List the contacts linked to the case, oldest link first."""
    case = _case(request, support_case_id)
    return selectors.services_of(firm=principal_of(request).firm, case=case)


@router.post(
    "/cases/{int:support_case_id}/external-services",
    operation_id="external_service_create",
    summary="Link an external service",
    response=responses(201, ServiceOut, write=True),
)
def external_service_create(
    request: HttpRequest, support_case_id: int, data: ServiceIn
) -> Status[ExternalService]:
    """Link a contact (a GP, a solicitor...) to the case in a role (I6)."""
    firm, actor = _writer(request)
    case = _case(request, support_case_id)
    try:
        contact = contact_selectors.contact_get(firm=firm, contact_id=data.contact_id)
    except NotFound as exc:
        raise ApplicationError(
            "Choose a contact of this firm.", "invalid", {"field": "contact_id"}
        ) from exc
    try:
        link = services.service_link(
            firm=firm,
            actor=actor,
            case=case,
            contact=contact,
            role=data.role,
            note=data.note,
        )
    except ApplicationError as exc:
        raise _renamed(exc, {"contact": "contact_id"}) from exc
    return Status(201, link)


@router.delete(
    "/external-services/{int:external_service_id}",
    operation_id="external_service_delete",
    summary="Unlink an external service",
    response=responses(204, None, write=True),
)
def external_service_delete(
    request: HttpRequest, external_service_id: int
) -> Status[None]:
    """Unlink a contact from the case; history keeps who it was."""
    firm, actor = _writer(request)
    services.service_unlink(
        firm=firm, actor=actor, link=_service(request, external_service_id)
    )
    return Status(204, None)
