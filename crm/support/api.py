"""The support API: open and edit support cases; their parts (K1, I1-I6, I9).

A support case is read and moved through ``/cases`` like every case; it is
opened here (``POST /cases/support``) and its support details are read and
changed at ``/cases/{id}/support``, through the same services as the pages:
the beneficiary is fixed once the case exists (I2), the case manager must
be a member who may own work, a closed case is read-only. Its needs,
outcomes, planned support and external services are in ``api_sections``.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from crm.cases.api import CaseOut, case_for
from crm.cases.models import Case
from crm.contacts import selectors as contact_selectors
from crm.contacts.models import Contact
from crm.core.api import (
    MAX_ID,
    LongText,
    Text200,
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
from crm.support import (
    api_outcomes,
    api_plans,
    api_referrals,
    api_sections,
    selectors,
    services,
)
from crm.support.choices import ConcernLevel, Duration
from crm.support.models import Pathway
from crm.support.services.cases import beneficiary_of

router = Router(tags=["Support cases"])
router.add_router("", api_sections.router)
router.add_router("", api_plans.router)
router.add_router("", api_outcomes.router)
router.add_router("", api_referrals.router)


class SupportItemOut(Schema):
    """A client need or a desired outcome."""

    id: int
    kind: str
    text: str
    achieved_on: date | None
    created_at: datetime


class SupportPlanOut(Schema):
    """A piece of planned support."""

    id: int
    description: str
    target_date: date | None
    status: str
    lead_id: int | None


class SupportServiceOut(Schema):
    """An external service working with the client."""

    id: int
    contact_id: int
    role: str
    created_at: datetime


class SupportOut(Schema):
    """A support case's needs, outcomes, planned support and external services."""

    needs: list[SupportItemOut]
    outcomes: list[SupportItemOut]
    planned_support: list[SupportPlanOut]
    external_services: list[SupportServiceOut]
    days_open: int


class SupportCaseIn(Schema):
    """A new support case for an existing contact, its beneficiary (I1)."""

    title: Text200
    beneficiary_id: int = Field(
        ..., ge=1, le=MAX_ID, description="Fixed once the case exists."
    )
    case_manager_id: int = Field(
        ..., ge=1, le=MAX_ID, description="A member's user id."
    )
    start_date: date | None = Field(None, description="Today if left out.")
    duration: Duration = Duration.OPEN_ENDED
    expected_end_date: date | None = Field(
        None, description="Required when the duration is fixed."
    )
    pathway_id: int | None = Field(None, ge=1, le=MAX_ID)
    concern_level: ConcernLevel = ConcernLevel.LOW
    note: LongText = ""


class SupportCaseUpdateIn(Schema):
    """A support case's title, manager, dates, pathway and note (I2).

    A field left out stays as it is. The beneficiary cannot change: sending
    any other ``beneficiary_id`` is refused (``beneficiary_fixed``).
    """

    title: Text200 | None = None
    beneficiary_id: int | None = Field(None, ge=1, le=MAX_ID)
    case_manager_id: int | None = Field(None, ge=1, le=MAX_ID)
    start_date: date | None = None
    duration: Duration | None = None
    expected_end_date: date | None = None
    pathway_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: LongText | None = None


class SupportDetailsOut(Schema):
    """A support case's beneficiary, manager, dates, pathway and concern level."""

    case_id: int
    beneficiary_id: int
    case_manager_id: int | None
    start_date: date | None
    duration: str
    expected_end_date: date | None
    pathway_id: int | None
    concern_level: str


def _support_case(request: HttpRequest, support_case_id: int) -> Case:
    principal = require_module(request, "support")
    return selectors.support_case_get(
        firm=principal.firm, case_id=support_case_id, principal=principal
    )


register_lookup("support_case_id", _support_case)


def _contact(firm: Firm, contact_id: int, field: str) -> Contact:
    try:
        return contact_selectors.contact_get(firm=firm, contact_id=contact_id)
    except NotFound as exc:
        raise ApplicationError(
            "Choose a contact of this firm.", "invalid", {"field": field}
        ) from exc


def _member(firm: Firm, user_id: int, field: str) -> User:
    membership = (
        firm_selectors.membership_list(firm=firm).filter(user_id=user_id).first()
    )
    if membership is None:
        raise ApplicationError(
            "Choose a member of this firm.", "invalid", {"field": field}
        )
    return membership.user


def _pathway(firm: Firm, pathway_id: int | None) -> Pathway | None:
    if pathway_id is None:
        return None
    try:
        return selectors.pathway_get(firm=firm, pathway_id=pathway_id)
    except NotFound as exc:
        raise ApplicationError(
            "Choose a pathway of this firm.", "invalid", {"field": "pathway_id"}
        ) from exc


def _renamed(exc: ApplicationError) -> ApplicationError:
    """Name the API's field (``case_manager_id``) in a service's error."""
    field = exc.field
    if field in {"case_manager", "pathway"}:
        exc.extra["field"] = f"{field}_id"
    if exc.code == "beneficiary_fixed":
        exc.extra["field"] = "beneficiary_id"
    return exc


def _details_out(firm: Firm, case: Case) -> dict[str, Any]:
    details = selectors.support_details_get(firm=firm, case=case)
    return {
        "case_id": case.pk,
        "beneficiary_id": beneficiary_of(case).pk,
        "case_manager_id": case.owner_id,
        "start_date": details.start_date,
        "duration": details.duration,
        "expected_end_date": details.expected_end_date,
        "pathway_id": details.pathway_id,
        "concern_level": details.concern_level,
    }


@router.post(
    "/cases/support",
    operation_id="support_case_create",
    summary="Open a support case",
    response=responses(201, CaseOut, write=True),
)
def support_case_create(request: HttpRequest, data: SupportCaseIn) -> Status[Case]:
    """Open a support case for an existing contact, as Create case does (I1)."""
    principal = require(request, Perm.EDIT_CASES)
    firm = principal.firm
    if not firm.has_module("support"):
        raise ApplicationError("This firm does not manage support cases.", "invalid")
    values = services.SupportCaseData(
        title=data.title,
        case_manager=_member(firm, data.case_manager_id, "case_manager_id"),
        start_date=data.start_date,
        duration=data.duration,
        expected_end_date=data.expected_end_date,
        pathway=_pathway(firm, data.pathway_id),
        note=data.note,
    )
    try:
        case = services.support_case_create(
            firm=firm,
            actor=user_of(principal),
            beneficiary=_contact(firm, data.beneficiary_id, "beneficiary_id"),
            data=values,
            concern_level=data.concern_level,
        )
    except ApplicationError as exc:
        raise _renamed(exc) from exc
    return Status(201, case_for(request, case.pk))


@router.get(
    "/cases/{int:support_case_id}/support",
    operation_id="support_case_details",
    summary="Get a support case's needs, outcomes, plans and services",
    response=responses(200, SupportOut),
)
def support_case_details(
    request: HttpRequest, support_case_id: int
) -> dict[str, object]:
    """Return the parts of a support case (404 for other kinds)."""
    principal = require_module(request, "support")
    case = _support_case(request, support_case_id)
    page = selectors.support_case_page(firm=principal.firm, case=case)
    return {
        "needs": page["needs"],
        "outcomes": page["outcomes"],
        "planned_support": page["plans"],
        "external_services": page["services"],
        "days_open": page["days_open"],
    }


@router.get(
    "/cases/{int:support_case_id}/details",
    operation_id="support_case_get",
    summary="Get a support case's beneficiary, manager, dates and pathway",
    response=responses(200, SupportDetailsOut),
)
def support_case_get(request: HttpRequest, support_case_id: int) -> dict[str, Any]:
    """Return the support details of a support case (404 for other kinds)."""
    return _details_out(
        principal_of(request).firm, _support_case(request, support_case_id)
    )


@router.patch(
    "/cases/{int:support_case_id}/details",
    operation_id="support_case_update",
    summary="Change a support case's title, manager, dates, pathway or note",
    response=responses(200, SupportDetailsOut, write=True),
)
def support_case_update(
    request: HttpRequest, support_case_id: int, data: SupportCaseUpdateIn
) -> dict[str, Any]:
    """Change the fields sent, as Edit does; the beneficiary is fixed (I2)."""
    principal = require(request, Perm.EDIT_CASES)
    firm = principal.firm
    case = _support_case(request, support_case_id)
    details = selectors.support_details_get(firm=firm, case=case)
    sent = data.model_dump(exclude_unset=True)
    manager_id = sent.get("case_manager_id") or case.owner_id
    values = services.SupportCaseData(
        title=case.title if data.title is None else data.title,
        case_manager=(
            _member(firm, manager_id, "case_manager_id") if manager_id else None
        ),
        start_date=sent.get("start_date", details.start_date),
        duration=sent.get("duration") or details.duration,
        expected_end_date=sent.get("expected_end_date", details.expected_end_date),
        pathway=(
            _pathway(firm, sent["pathway_id"])
            if "pathway_id" in sent
            else details.pathway
        ),
        note=sent["note"] if sent.get("note") is not None else case.note,
    )
    beneficiary = (
        _contact(firm, data.beneficiary_id, "beneficiary_id")
        if data.beneficiary_id is not None
        else None
    )
    try:
        services.support_case_update(
            firm=firm,
            actor=user_of(principal),
            case=case,
            data=values,
            beneficiary=beneficiary,
        )
    except ApplicationError as exc:
        raise _renamed(exc) from exc
    return _details_out(
        principal_of(request).firm, _support_case(request, support_case_id)
    )
