"""The protection API: a protection case's policies (K1, read only).

Policies are written on the case's page and through quotes, where the top-up
guard and the quote re-pricing run; the API reads them.
"""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from crm.core.api import principal_of, register_lookup, require_module, responses
from crm.protection import selectors
from crm.protection.models import Policy

router = Router(tags=["Protection policies"])


class PolicyOut(Schema):
    """A protection policy on a protection case."""

    id: int
    case_id: int
    provider: str
    product: str
    benefit_type: str
    benefit_amount: Decimal | None
    premium: Decimal | None
    premium_frequency: str
    term_years: int | None
    cover_basis: str
    lives_assured: str
    status: str
    quote_reference: str
    created_at: datetime


def _policy(request: HttpRequest, policy_id: int) -> Policy:
    principal = require_module(request, "advice")
    return selectors.policy_get(
        firm=principal.firm, policy_id=policy_id, principal=principal
    )


def _protection_case(request: HttpRequest, protection_case_id: int) -> object:
    principal = require_module(request, "advice")
    return selectors.protection_case_get(
        firm=principal.firm, case_id=protection_case_id, principal=principal
    )


register_lookup("policy_id", _policy)
register_lookup("protection_case_id", _protection_case)


@router.get(
    "/cases/{int:protection_case_id}/policies",
    operation_id="policy_list",
    summary="List a protection case's policies",
    response=responses(200, list[PolicyOut]),
)
def policy_list(request: HttpRequest, protection_case_id: int) -> list[Policy]:
    """List the policies of a protection case (404 for other kinds)."""
    principal = require_module(request, "advice")
    case = selectors.protection_case_get(
        firm=principal.firm, case_id=protection_case_id, principal=principal
    )
    return selectors.case_policies(firm=principal.firm, case=case)


@router.get(
    "/policies/{int:policy_id}",
    operation_id="policy_get",
    summary="Get a policy",
    response=responses(200, PolicyOut),
)
def policy_get(request: HttpRequest, policy_id: int) -> Policy:
    """Return one policy of a protection case the principal may see."""
    principal_of(request)
    return _policy(request, policy_id)
