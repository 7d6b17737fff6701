"""Referrals through the API: the queue of referrals in, and referrals out (I11, I12).

A referral in is accepted into a support case or declined with the same
services as the Referrals queue's page (the referrer is told either way); a
beneficiary is referred out to a linked external service with the page's
consent form and service. Both need the Support module.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, QueryDict
from ninja import Field, Query, Router, Schema, Status

from crm.cases.api import CaseOut, case_for
from crm.cases.models import Case
from crm.contacts import selectors as contact_selectors
from crm.core.api import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    CursorPage,
    LongText,
    Text80,
    Text200,
    Text300,
    cursor_page,
    register_lookup,
    require,
    require_module,
    responses,
    user_of,
)
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.permissions import Perm
from crm.leads import selectors as lead_selectors
from crm.support import selectors, services
from crm.support.choices import ConsentMethod
from crm.support.forms_referrals_out import ReferOutForm
from crm.support.models import ExternalService, Referral, ReferralOut

router = Router(tags=["Referrals"])


class ReferralInOut(Schema):
    """A referral in: who was referred, by whom, and what became of it."""

    id: int
    status: str
    referrer_kind: str
    referrer_name: str
    referrer_organisation: str
    first_name: str
    last_name: str
    email: str
    phone: str
    postcode: str
    needs: str
    urgency: str
    pathway_id: int | None
    consent_to_contact: bool
    submitted_at: datetime
    decided_at: datetime | None
    decline_reason: str
    contact_id: int | None
    case_id: int | None


class ReferralFilter(Schema):
    """The Referrals queue's tab and search."""

    tab: Literal["new", "accepted", "declined"] = "new"
    q: Text80 = Field("", description="Part of the referred person's name.")
    cursor: Text200 | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class AcceptIn(Schema):
    """Who manages the new case, its pathway, and which contact it is for.

    With neither ``contact_id`` nor ``create_new``, a contact sharing the
    referral's e-mail or mobile refuses the accept (409 ``duplicate``, the
    message names them): send one of them as ``contact_id``, or ``create_new``.
    """

    case_manager_id: int = Field(..., ge=1, le=MAX_ID)
    pathway_id: int | None = Field(None, ge=1, le=MAX_ID)
    contact_id: int | None = Field(None, ge=1, le=MAX_ID)
    create_new: bool = False


class DeclineIn(Schema):
    """Why the referral is declined; the referrer is e-mailed it."""

    reason: Text300


class ReferralOutOut(Schema):
    """A beneficiary's referral to an external service, and its answer."""

    id: int
    case_id: int
    service_id: int | None
    partner_id: int
    partner_email: str
    role: str
    shared_name: str
    shared_need: str
    message: str
    consent_purpose: str
    consent_date: date
    consent_taken_by_id: int | None
    consent_method: str
    status: str
    sent_at: datetime
    responded_at: datetime | None
    expires_at: datetime


class ReferOutIn(Schema):
    """What is shared with the service, and the recorded consent to share it."""

    shared_name: Text200
    shared_need: LongText
    message: LongText = ""
    consent_purpose: Text300
    consent_date: date
    consent_taken_by_id: int = Field(..., ge=1, le=MAX_ID)
    consent_method: ConsentMethod


def _referral(request: HttpRequest, referral_id: int) -> Referral:
    principal = require_module(request, "support")
    if not principal.has_perm(Perm.VIEW_ALL_CASES):
        raise ApplicationError("Not found.", "not_found")
    return selectors.referral_get(firm=principal.firm, referral_id=referral_id)


register_lookup("referral_id", _referral)


@router.get(
    "/referrals",
    operation_id="referral_list",
    summary="List referrals in",
    response=responses(200, CursorPage[ReferralInOut]),
)
def referral_list(
    request: HttpRequest, filters: Query[ReferralFilter]
) -> dict[str, Any]:
    """List one tab of the Referrals queue (New, Accepted, Declined)."""
    principal = require_module(request, "support")
    require(request, Perm.VIEW_ALL_CASES)
    rows = selectors.referral_list(firm=principal.firm, tab=filters.tab, q=filters.q)
    items, next_cursor = cursor_page(rows, cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/referrals/{int:referral_id}",
    operation_id="referral_get",
    summary="Get a referral in",
    response=responses(200, ReferralInOut),
)
def referral_get(request: HttpRequest, referral_id: int) -> Referral:
    """Return one referral of the firm's queue."""
    return _referral(request, referral_id)


@router.post(
    "/referrals/{int:referral_id}/accept",
    operation_id="referral_accept",
    summary="Accept a referral into a support case",
    response=responses(201, CaseOut, write=True),
)
def referral_accept(
    request: HttpRequest, referral_id: int, data: AcceptIn
) -> Status[Case]:
    """Open a support case for the referred person; the referrer is told.

    409 ``decided`` when the referral was already accepted or declined.
    """
    principal = require(request, Perm.EDIT_CASES)
    referral = _referral(request, referral_id)
    firm = principal.firm
    try:
        manager = lead_selectors.adviser_get(firm=firm, user_id=data.case_manager_id)
    except NotFound as exc:
        raise ApplicationError(
            "Choose a member of this firm.", "invalid", {"field": "case_manager_id"}
        ) from exc
    pathway = None
    if data.pathway_id is not None:
        pathway = {p.pk: p for p in selectors.pathway_choices(firm=firm)}.get(
            data.pathway_id
        )
        if pathway is None:
            raise ApplicationError(
                "Choose one of the firm's pathways.", "invalid", {"field": "pathway_id"}
            )
    match = None
    if data.contact_id is not None:
        try:
            match = contact_selectors.contact_get(firm=firm, contact_id=data.contact_id)
        except NotFound as exc:
            raise ApplicationError(
                "Choose a contact of this firm.", "invalid", {"field": "contact_id"}
            ) from exc
    case = services.referral_accept(
        firm=firm,
        actor=user_of(principal),
        referral=referral,
        case_manager=manager,
        pathway=pathway,
        match=match,
        create_new=data.create_new,
    )
    return Status(201, case_for(request, case.pk))


@router.post(
    "/referrals/{int:referral_id}/decline",
    operation_id="referral_decline",
    summary="Decline a referral",
    response=responses(200, ReferralInOut, write=True),
)
def referral_decline(
    request: HttpRequest, referral_id: int, data: DeclineIn
) -> Referral:
    """Decline with a reason the referrer is e-mailed (409 ``decided`` if done)."""
    principal = require(request, Perm.EDIT_CASES)
    referral = _referral(request, referral_id)
    return services.referral_decline(
        firm=principal.firm,
        actor=user_of(principal),
        referral=referral,
        reason=data.reason,
    )


def _service(request: HttpRequest, external_service_id: int) -> ExternalService:
    principal = require_module(request, "support")
    return selectors.service_get(
        firm=principal.firm, link_id=external_service_id, principal=principal
    )


@router.post(
    "/external-services/{int:external_service_id}/referrals",
    operation_id="referral_out_create",
    summary="Refer the beneficiary to an external service",
    response=responses(201, ReferralOutOut, write=True),
)
def referral_out_create(
    request: HttpRequest, external_service_id: int, data: ReferOutIn
) -> Status[ReferralOut]:
    """Record the consent and e-mail the service a link to answer (I12).

    Checked by the page's consent form; 409 ``duplicate`` when the service
    already holds an open referral from the case; 400 ``no_email`` when it
    has no e-mail address.
    """
    principal = require(request, Perm.EDIT_CASES)
    service = _service(request, external_service_id)
    values = data.model_dump()
    values["consent_taken_by"] = values.pop("consent_taken_by_id")
    values["consent_date"] = data.consent_date.isoformat()
    posted = QueryDict(mutable=True)
    posted.update({k: str(v) for k, v in values.items()})
    form = ReferOutForm(posted, firm=principal.firm)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        field = "consent_taken_by_id" if name == "consent_taken_by" else name
        raise ApplicationError(str(errors[0]), "invalid", {"field": field})
    referral, _token = services.referral_out_create(
        firm=principal.firm,
        actor=user_of(principal),
        service=service,
        data=form.to_data(),
    )
    return Status(201, referral)


@router.get(
    "/cases/{int:support_case_id}/referrals-out",
    operation_id="referral_out_list",
    summary="List a support case's referrals out",
    response=responses(200, list[ReferralOutOut]),
)
def referral_out_list(request: HttpRequest, support_case_id: int) -> list[ReferralOut]:
    """List the case's referrals to external services, newest first."""
    principal = require_module(request, "support")
    case = selectors.support_case_get(
        firm=principal.firm, case_id=support_case_id, principal=principal
    )
    return selectors.case_referrals_out(firm=principal.firm, case=case)
