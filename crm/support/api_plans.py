"""A support case's planned support and external services (K1, I5, I6).

Listed, added, changed and removed through the same services as the case
page: a closed case is read-only (409 ``case_closed``), a plan's lead is a
member who may own work, the beneficiary is never their own external
service, and a contact is linked once.
"""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from crm.contacts import selectors as contact_selectors
from crm.core.api import (
    MAX_ID,
    LongText,
    Text80,
    Text300,
    principal_of,
    register_lookup,
    require_module,
    responses,
)
from crm.core.exceptions import ApplicationError, NotFound
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User
from crm.support import selectors, services
from crm.support.api_sections import case_of, renamed, writer
from crm.support.choices import PlanStatus
from crm.support.models import ExternalService, PlannedSupport

router = Router(tags=["Support cases"])


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


register_lookup("planned_support_id", _plan)
register_lookup("external_service_id", _service)

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
    case = case_of(request, support_case_id)
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
    firm, actor = writer(request)
    case = case_of(request, support_case_id)
    values = services.PlanData(
        description=data.description,
        target_date=data.target_date,
        lead=_lead(firm, data.lead_id, None),
        status=data.status,
    )
    try:
        plan = services.plan_add(firm=firm, actor=actor, case=case, data=values)
    except ApplicationError as exc:
        raise renamed(exc, {"lead": "lead_id"}) from exc
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
    firm, actor = writer(request)
    plan = _plan(request, planned_support_id)
    sent = data.model_dump(exclude_unset=True)
    values = services.PlanData(
        description=(
            plan.description if data.description is None else data.description
        ),
        target_date=sent.get("target_date", plan.target_date),
        lead=(_lead(firm, sent["lead_id"], plan) if "lead_id" in sent else plan.lead),
        status=sent.get("status") or plan.status,
    )
    try:
        return services.plan_update(firm=firm, actor=actor, plan=plan, data=values)
    except ApplicationError as exc:
        raise renamed(exc, {"lead": "lead_id"}) from exc


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
    firm, actor = writer(request)
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
    case = case_of(request, support_case_id)
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
    firm, actor = writer(request)
    case = case_of(request, support_case_id)
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
        raise renamed(exc, {"contact": "contact_id"}) from exc
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
    firm, actor = writer(request)
    services.service_unlink(
        firm=firm, actor=actor, link=_service(request, external_service_id)
    )
    return Status(204, None)
