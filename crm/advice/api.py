"""The advice API: open a mortgage or protection case; a case's mortgage details.

A new case goes through ``crm.cases.services.case_create`` with the kind's
hooks, so the same rules hold as in the New Case wizard (Offer Qualified is
for mortgages only, the lead's client must be on the case, one or two
different clients).
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Annotated, TypeVar

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from crm.advice import selectors
from crm.advice.choices import (
    AdviceKind,
    MortgagePurpose,
    MortgageType,
    RepaymentMethod,
)
from crm.advice.models import MortgageDetails
from crm.advice.services import mortgage as mortgage_services
from crm.cases import kinds as case_kinds
from crm.cases.api import CaseOut, case_for, member_user
from crm.cases.models import Case
from crm.cases.services.core import NewCase, case_create
from crm.contacts import selectors as contact_selectors
from crm.contacts.choices import ContactKind
from crm.core.api import (
    MAX_ID,
    Amount10,
    LongText,
    Text32,
    Text120,
    Text200,
    principal_of,
    register_lookup,
    require,
    responses,
)
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.permissions import Perm
from crm.firms import selectors as firm_selectors
from crm.leads import selectors as lead_selectors

router = Router(tags=["Advice cases"])
T = TypeVar("T")


class AdviceCaseIn(Schema):
    """A new mortgage or protection case for one or two existing clients."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "mortgage", "applicant_ids": [1]}]}
    )

    kind: AdviceKind
    applicant_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        ...,
        min_length=1,
        max_length=2,
        description="People's contact ids (from /contacts), main applicant first.",
    )
    status: Text32 = Field(
        "", description="A starting status; empty for the kind's first."
    )
    owner_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The adviser's user id."
    )
    follow_up_date: date | None = None
    note: LongText = ""
    lead_id: int | None = Field(None, ge=1, le=MAX_ID)
    introducer_id: int | None = Field(None, ge=1, le=MAX_ID)
    introducer_branch_id: int | None = Field(None, ge=1, le=MAX_ID)
    negotiator_id: int | None = Field(None, ge=1, le=MAX_ID)
    offer_qualified: bool = False
    mortgage_type: MortgageType = MortgageType.RESIDENTIAL


class MortgageOut(Schema):
    """A mortgage case's details."""

    mortgage_type: str
    purpose: str
    property_value: Decimal | None
    loan_amount: Decimal | None
    term_years: int | None
    term_months: int | None
    repayment_method: str
    offer_qualified: bool
    lender: str
    product: str
    application_date: date | None
    offer_date: date | None
    completion_date: date | None
    product_end_date: date | None


class MortgageIn(Schema):
    """Every editable mortgage detail; the details are replaced as a whole."""

    mortgage_type: MortgageType = MortgageType.RESIDENTIAL
    purpose: MortgagePurpose | None = None
    property_value: Amount10 | None = None
    loan_amount: Amount10 | None = None
    term_years: int | None = Field(None, ge=0, le=100)
    term_months: int | None = Field(None, ge=0, le=100)
    repayment_method: RepaymentMethod | None = None
    offer_qualified: bool = False
    lender: Text120 = ""
    product: Text200 = ""
    application_date: date | None = None
    offer_date: date | None = None
    completion_date: date | None = None
    product_end_date: date | None = None


def _referenced(field: str, noun: str, get: Callable[[], T]) -> T:
    """Return what ``get`` finds; an id the firm lacks is 400 naming ``field``.

    An id in the body is input like any other, so it is named as wrong, not
    answered 404 as if the path were; another firm's id reads as missing.
    """
    try:
        return get()
    except NotFound as exc:
        raise ApplicationError(
            f"Choose {noun} of this firm.", "invalid", {"field": field}
        ) from exc


def _new_case(request: HttpRequest, data: AdviceCaseIn) -> NewCase:
    firm = require(request, Perm.EDIT_CASES).firm
    applicants = []
    for contact_id in data.applicant_ids:
        contact = _referenced(
            "applicant_ids",
            "a contact",
            partial(contact_selectors.contact_get, firm=firm, contact_id=contact_id),
        )
        if contact.kind != ContactKind.PERSON:
            raise ApplicationError(
                "A case's clients are people.", "invalid", {"field": "applicant_ids"}
            )
        applicants.append(contact)
    kind = case_kinds.get(data.kind)
    introducer = branch = negotiator = None
    if data.introducer_id is not None:
        introducer = _referenced(
            "introducer_id",
            "an introducer",
            partial(
                firm_selectors.introducer_get,
                firm=firm,
                introducer_id=data.introducer_id,
            ),
        )
    if data.introducer_branch_id is not None:
        branch = _referenced(
            "introducer_branch_id",
            "an introducer branch",
            partial(
                firm_selectors.introducer_branch_get,
                firm=firm,
                introducer_branch_id=data.introducer_branch_id,
            ),
        )
    if data.negotiator_id is not None:
        negotiator = _referenced(
            "negotiator_id",
            "a negotiator",
            partial(
                firm_selectors.negotiator_get,
                firm=firm,
                negotiator_id=data.negotiator_id,
            ),
        )
    return NewCase(
        kind=data.kind,
        applicants=applicants,
        owner=member_user(request, data.owner_id, "owner_id"),
        status=data.status or kind.start_statuses[0],
        follow_up_date=data.follow_up_date,
        note=data.note,
        introducer=introducer,
        introducer_branch=branch,
        negotiator=negotiator,
        lead=(
            _referenced(
                "lead_id",
                "a lead",
                partial(lead_selectors.lead_get, firm=firm, lead_id=data.lead_id),
            )
            if data.lead_id is not None
            else None
        ),
        details={
            "offer_qualified": data.offer_qualified,
            "mortgage_type": data.mortgage_type,
        },
    )


@router.post(
    "/advice",
    operation_id="advice_case_create",
    summary="Open a mortgage or protection case",
    response=responses(201, CaseOut, write=True),
)
def advice_case_create(request: HttpRequest, data: AdviceCaseIn) -> Status[Case]:
    """Open a case for existing clients, as the New Case wizard does."""
    principal = require(request, Perm.EDIT_CASES)
    if not principal.firm.has_module("advice"):
        raise ApplicationError(
            "This firm does not give mortgage or protection advice.", "invalid"
        )
    case = case_create(
        firm=principal.firm, actor=principal.user, data=_new_case(request, data)
    )
    return Status(201, case_for(request, case.pk))


def _mortgage_case(request: HttpRequest, case_id: int) -> Case:
    """Return the mortgage case ``case_id`` with its details; other kinds are 404."""
    principal = principal_of(request)
    case = selectors.advice_case_get(
        firm=principal.firm, case_id=case_id, principal=principal, details=("mortgage",)
    )
    if case.kind != AdviceKind.MORTGAGE:
        raise NotFound
    return case


register_lookup("mortgage_case_id", _mortgage_case)


@router.get(
    "/{int:mortgage_case_id}/mortgage",
    operation_id="mortgage_get",
    summary="Get a mortgage case's details",
    response=responses(200, MortgageOut),
)
def mortgage_get(request: HttpRequest, mortgage_case_id: int) -> MortgageDetails:
    """Return the mortgage details of a mortgage case (404 for other kinds)."""
    case = _mortgage_case(request, mortgage_case_id)
    details: MortgageDetails | None = getattr(case, "mortgage", None)
    return details if details is not None else MortgageDetails(case=case)


@router.put(
    "/{int:mortgage_case_id}/mortgage",
    operation_id="mortgage_update",
    summary="Change a mortgage case's details",
    response=responses(200, MortgageOut, write=True),
)
def mortgage_update(
    request: HttpRequest, mortgage_case_id: int, data: MortgageIn
) -> MortgageDetails:
    """Replace the mortgage details; history shows what changed."""
    principal = require(request, Perm.EDIT_CASES)
    case = _mortgage_case(request, mortgage_case_id)
    values = data.model_dump()
    for name in ("purpose", "repayment_method"):
        values[name] = values[name] or ""
    return mortgage_services.mortgage_update(
        firm=principal.firm,
        actor=principal.user,
        case=case,
        data=mortgage_services.MortgageData(**values),
    )
