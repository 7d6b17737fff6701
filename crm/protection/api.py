"""The protection API: a protection case's policies (K1, G1).

Policies are added, changed and removed through the same services as the
case page, so the locked-data rule (G4: after Concert Hub received the case
only a policy's status may change) and the field checks hold. Quotes (G2,
with the top-up guard of G3) are run on the quote page.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from crm.core.api import (
    Amount8,
    Amount10,
    Text80,
    Text120,
    Text160,
    principal_of,
    register_lookup,
    require,
    require_module,
    responses,
)
from crm.core.permissions import Perm
from crm.protection import selectors, services
from crm.protection.choices import (
    BenefitType,
    CoverBasis,
    PolicyStatus,
    PremiumFrequency,
)
from crm.protection.models import Policy

router = Router(tags=["Protection policies"])
Term = Annotated[int, Field(ge=1, le=services.MAX_TERM_YEARS)]


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


class PolicyIn(Schema):
    """A policy's fields; the four a submission needs may be left for later.

    On create a field left out takes its default; on change it stays as it
    is. After Concert Hub received the case only ``status`` may change.
    """

    provider: Text80 = ""
    product: Text120 = ""
    benefit_type: BenefitType | None = Field(None, description="Null: not known yet.")
    benefit_amount: Amount10 | None = None
    premium: Amount8 | None = None
    premium_frequency: PremiumFrequency = PremiumFrequency.MONTHLY
    term_years: Term | None = None
    cover_basis: CoverBasis = CoverBasis.LEVEL
    lives_assured: Text160 = ""
    status: PolicyStatus = PolicyStatus.QUOTED


def _data(data: PolicyIn, policy: Policy | None = None) -> services.PolicyData:
    """Return the service's input: what was sent over the policy's values."""
    values = (
        {name: getattr(policy, name) for name in services.FIELDS}
        if policy is not None
        else {}
    )
    sent = data.model_dump(exclude_unset=policy is not None)
    if "benefit_type" in sent:
        sent["benefit_type"] = sent["benefit_type"] or ""
    return services.PolicyData(**{**values, **sent})


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


@router.post(
    "/cases/{int:protection_case_id}/policies",
    operation_id="policy_create",
    summary="Add a policy to a protection case",
    response=responses(201, PolicyOut, write=True),
)
def policy_create(
    request: HttpRequest, protection_case_id: int, data: PolicyIn
) -> Status[Policy]:
    """Add a policy by hand, as the case page does (409 once the data is locked)."""
    principal = require(request, Perm.EDIT_CASES)
    require_module(request, "advice")
    case = selectors.protection_case_get(
        firm=principal.firm, case_id=protection_case_id, principal=principal
    )
    policy = services.policy_add(
        firm=principal.firm, actor=principal.user, case=case, data=_data(data)
    )
    return Status(201, policy)


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


@router.patch(
    "/policies/{int:policy_id}",
    operation_id="policy_update",
    summary="Change a policy",
    response=responses(200, PolicyOut, write=True),
)
def policy_update(request: HttpRequest, policy_id: int, data: PolicyIn) -> Policy:
    """Change the fields sent; history shows the change (409 if locked)."""
    principal = require(request, Perm.EDIT_CASES)
    policy = _policy(request, policy_id)
    return services.policy_update(
        firm=principal.firm,
        actor=principal.user,
        policy=policy,
        data=_data(data, policy),
    )


@router.delete(
    "/policies/{int:policy_id}",
    operation_id="policy_delete",
    summary="Remove a policy",
    response=responses(204, None, write=True),
)
def policy_delete(request: HttpRequest, policy_id: int) -> Status[None]:
    """Remove a policy that is not submitted or on risk (409 otherwise)."""
    principal = require(request, Perm.EDIT_CASES)
    policy = _policy(request, policy_id)
    services.policy_remove(firm=principal.firm, actor=principal.user, policy=policy)
    return Status(204, None)
