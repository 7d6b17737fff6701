"""The protection API: a protection case's policies (K1, G1).

Policies are added, changed and removed through the same services as the
case page, so the locked-data rule (G4: after Concert Hub received the case
only a policy's status may change) and the field checks hold. Quotes (G2)
are run and selected through the quote page's form and services, so the
top-up guard (G3) answers 409 ``top_up`` here as it refuses there.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from crm.cases.api import CaseOut, case_for
from crm.cases.models import Case
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
from crm.core.exceptions import ApplicationError
from crm.core.permissions import Perm
from crm.protection import selectors, services
from crm.protection.choices import (
    BenefitType,
    CoverBasis,
    PolicyStatus,
    PremiumFrequency,
)
from crm.protection.forms import QuoteForm
from crm.protection.models import Policy
from crm.protection.quotes import QUOTABLE, Quote, quote_all

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


def _protection_case(request: HttpRequest, protection_case_id: int) -> Case:
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


# Quotes (G2) and the top-up guard (G3) -----------------------------------


class QuoteQuery(Schema):
    """The cover to price; a field left out comes from the case's D&N."""

    benefit_type: BenefitType | None = Field(
        None, description=f"One of {', '.join(QUOTABLE)}; others are not quoted."
    )
    amount: Amount10 | None = None
    term_years: int | None = Field(None, ge=5, le=40)
    cover_basis: CoverBasis | None = None


class QuoteSelectIn(QuoteQuery):
    """The quote to save, by the ``reference`` a quote run gave, and its cover."""

    quote: Text80 = Field(..., description="A quote's reference, e.g. 'rates:avi'.")


class QuoteOut(Schema):
    """One provider's monthly premium for the cover asked."""

    reference: str
    provider: str
    product: str
    benefit_type: str
    amount: Decimal
    term_years: int
    cover_basis: str
    premium: Decimal


class NeededOut(Schema):
    """Something pricing needs that the Fact Find or D&N lacks."""

    section: str
    label: str


class QuotesOut(Schema):
    """A quote run: whether pricing was possible, what it lacks, the quotes."""

    ready: bool
    missing: list[NeededOut]
    quotes: list[QuoteOut]


def _run(
    request: HttpRequest, case: Case, data: QuoteQuery
) -> tuple[selectors.QuoteBasis, list[Quote]]:
    """Price the case's main client as the quote page does, cheapest first.

    The cover sent is checked by the page's form; what is left out comes from
    the D&N. An unready basis (no date of birth...) prices nothing.
    """
    principal = principal_of(request)
    basis = selectors.quote_basis(
        facts=selectors.quote_facts(firm=principal.firm, case=case)
    )
    if not basis.ready:
        return basis, []
    sent = data.model_dump(exclude_none=True, include=set(QuoteQuery.model_fields))
    form = QuoteForm({**QuoteForm.initial_from(basis), **sent})
    if not form.is_valid():
        name, messages = next(iter(form.errors.items()))
        raise ApplicationError(
            str(messages[0]), "invalid", {"field": name, "location": "body"}
        )
    wanted = basis.request(**form.cleaned_data)
    quotes = quote_all(wanted) if wanted is not None else []
    return basis, sorted(quotes, key=lambda q: q.premium)


@router.post(
    "/cases/{int:protection_case_id}/quotes",
    operation_id="quote_run",
    summary="Run a quote for a protection case",
    response=responses(200, QuotesOut),
)
def quote_run(
    request: HttpRequest, protection_case_id: int, data: QuoteQuery
) -> dict[str, Any]:
    """Price the main client across providers from the Fact Find and D&N (G2).

    Changes nothing, so a read-only token may run it. When the Fact Find or
    D&N lacks what pricing needs, ``ready`` is false and ``missing`` says what.
    """
    case = _protection_case(request, protection_case_id)
    basis, quotes = _run(request, case, data)
    return {"ready": basis.ready, "missing": basis.missing, "quotes": quotes}


@router.post(
    "/cases/{int:protection_case_id}/quotes/select",
    operation_id="quote_select",
    summary="Save a quote to a protection case as a policy",
    response=responses(201, PolicyOut, write=True),
)
def quote_select(
    request: HttpRequest, protection_case_id: int, data: QuoteSelectIn
) -> Status[Policy]:
    """Save the chosen quote as a Quoted policy, as the quote page's Select does.

    409 ``top_up`` when the case already has a submitted or on-risk policy:
    a top-up is a new case (``top_up_case_create``). 409 ``not_ready`` when
    the Fact Find or D&N lacks what pricing needs.
    """
    principal = require(request, Perm.EDIT_CASES)
    case = _protection_case(request, protection_case_id)
    basis, quotes = _run(request, case, data)
    if not basis.ready:
        missing = ", ".join(n.label for n in basis.missing)
        raise ApplicationError(f"Pricing needs: {missing}.", "not_ready")
    chosen = next((q for q in quotes if q.reference == data.quote), None)
    if chosen is None:
        raise ApplicationError(
            "That quote is not available for this cover: run the quote again.",
            "invalid",
            {"field": "quote"},
        )
    policy = services.quote_select(
        firm=principal.firm,
        actor=principal.user,
        case=case,
        quote=chosen,
        lives_assured=basis.applicant.contact.display_name if basis.applicant else "",
    )
    return Status(201, policy)


@router.post(
    "/cases/{int:protection_case_id}/top-up",
    operation_id="top_up_case_create",
    summary="Open a top-up protection case",
    response=responses(201, CaseOut, write=True),
)
def top_up_case_create(request: HttpRequest, protection_case_id: int) -> Status[Case]:
    """Open a new protection case for the same clients and adviser (G3).

    It starts with this case's D&N protection part, ready for a quote run.
    """
    principal = require(request, Perm.EDIT_CASES)
    case = _protection_case(request, protection_case_id)
    new = services.top_up_case_create(
        firm=principal.firm, actor=principal.user, case=case
    )
    return Status(201, case_for(request, new.pk))
