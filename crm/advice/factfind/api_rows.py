"""A client's Fact Find rows through the API: add, change, remove one (F1, K1).

Addresses, commitments and existing policies are lists of rows on a client's
Fact Find. A row sent is checked by the case page's form for its section, so
the API refuses what the page refuses (400 naming every field), and written
by the page's services, which record the case's history, the client's
timeline and the audit. The path names the case the change is made from: one
the principal may see (a member limited to their own cases gets 404 on a
colleague's) with the client on it; a row of another client is 404.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from crm.advice import selectors as advice_selectors
from crm.advice.factfind import selectors, services
from crm.advice.factfind.choices import CommitmentKind, PolicyKind
from crm.advice.factfind.sections import FACT_FIND
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core.api import (
    Amount8,
    Amount10,
    Money,
    Text10,
    Text80,
    Text120,
    register_lookup,
    require,
    require_module,
    responses,
)
from crm.core.exceptions import NotFound
from crm.core.permissions import Perm
from crm.core.principals import Principal

router = Router(tags=["Fact Find and Demands & Needs"])
ROWS = "/{int:case_id}/fact-finds/{int:contact_id}"


class AddressIn(Schema):
    """An address the client lived at; leave ``moved_out`` out for the current one."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "line1": "4 Quay Street",
                    "town": "Leith",
                    "postcode": "EH6 6AA",
                    "moved_in": "2019-03-01",
                }
            ]
        }
    )

    line1: Text120 = Field(..., description="The address, without town or postcode.")
    town: Text80 = ""
    postcode: Text10
    moved_in: date
    moved_out: date | None = Field(None, description="On or after ``moved_in``.")


class AddressOut(Schema):
    """An address on a client's Fact Find."""

    id: int
    line1: str
    town: str
    postcode: str
    moved_in: date
    moved_out: date | None


class CommitmentIn(Schema):
    """A regular outgoing or credit commitment: a loan, a card, childcare..."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "loan",
                    "description": "Car loan",
                    "monthly_payment": "180.50",
                    "balance": "4000",
                }
            ]
        }
    )

    kind: CommitmentKind
    description: Text120 = ""
    monthly_payment: Amount8
    balance: Amount10 | None = Field(None, description="What is still owed.")


class CommitmentOut(Schema):
    """A commitment on a client's Fact Find."""

    id: int
    kind: str
    description: str
    monthly_payment: Money
    balance: Money | None


class ExistingPolicyIn(Schema):
    """A protection or insurance policy the client already holds."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "provider": "Aviva",
                    "kind": "life",
                    "cover_amount": "100000",
                    "monthly_premium": "18.50",
                }
            ]
        }
    )

    provider: Text80
    kind: PolicyKind
    cover_amount: Amount10 | None = None
    monthly_premium: Amount10 | None = None


class ExistingPolicyOut(Schema):
    """An existing policy on a client's Fact Find."""

    id: int
    provider: str
    kind: str
    cover_amount: Money | None
    monthly_premium: Money | None


def _client(
    request: HttpRequest, case_id: int, contact_id: int
) -> tuple[Principal, Case, Contact]:
    """Return a writer, the advice case it may see, and a client on that case."""
    principal = require(request, Perm.EDIT_CASES)
    require_module(request, "advice")
    case = advice_selectors.advice_case_get(
        firm=principal.firm, case_id=case_id, principal=principal, details=()
    )
    for applicant in case.applicants.all():
        if applicant.contact_id == contact_id:
            return principal, case, applicant.contact
    raise NotFound


def _checked(section: str, data: Schema) -> dict[str, Any]:
    """Return ``data`` as the section's form cleans it; else 400 naming each field."""
    posted = {
        name: "" if value is None else value
        for name, value in data.model_dump(mode="json").items()
    }
    form = FACT_FIND[section].form(posted, id_prefix="api")
    if not form.is_valid():
        raise ValidationError({name: list(errs) for name, errs in form.errors.items()})
    return form.cleaned_data


def _add(
    request: HttpRequest, case_id: int, contact_id: int, section: str, data: Schema
) -> Status[Model]:
    principal, case, contact = _client(request, case_id, contact_id)
    row = services.fact_find_row_add(
        firm=principal.firm,
        actor=principal.user,
        contact=contact,
        case=case,
        section=section,
        data=_checked(section, data),
    )
    return Status(201, row)


def _change(
    request: HttpRequest,
    ids: tuple[int, int, int],
    section: str,
    data: Schema,
) -> Model:
    case_id, contact_id, row_id = ids
    principal, case, contact = _client(request, case_id, contact_id)
    return services.fact_find_row_update(
        firm=principal.firm,
        actor=principal.user,
        contact=contact,
        case=case,
        section=section,
        row_id=row_id,
        data=_checked(section, data),
    )


def _remove(
    request: HttpRequest, ids: tuple[int, int, int], section: str
) -> Status[None]:
    case_id, contact_id, row_id = ids
    principal, case, contact = _client(request, case_id, contact_id)
    services.fact_find_row_remove(
        firm=principal.firm,
        actor=principal.user,
        contact=contact,
        case=case,
        section=section,
        row_id=row_id,
    )
    return Status(204, None)


def _lookup(section: str) -> Any:
    """Return the 404 check of a row id in the path (the firm's rows only)."""

    def lookup(request: HttpRequest, row_id: int) -> Model:
        principal = require_module(request, "advice")
        return selectors.fact_find_row_get(
            firm=principal.firm, section=section, row_id=row_id
        )

    return lookup


register_lookup("address_id", _lookup("addresses"))
register_lookup("commitment_id", _lookup("commitments"))
register_lookup("existing_policy_id", _lookup("policies"))


@router.post(
    f"{ROWS}/addresses",
    operation_id="fact_find_address_create",
    summary="Add an address to a client's Fact Find",
    response=responses(201, AddressOut, write=True),
)
def fact_find_address_create(
    request: HttpRequest, case_id: int, contact_id: int, data: AddressIn
) -> Status[Model]:
    """Add an address the client lived at; the case's history shows it."""
    return _add(request, case_id, contact_id, "addresses", data)


@router.put(
    f"{ROWS}/addresses/{{int:address_id}}",
    operation_id="fact_find_address_update",
    summary="Change an address on a client's Fact Find",
    response=responses(200, AddressOut, write=True),
)
def fact_find_address_update(
    request: HttpRequest,
    case_id: int,
    contact_id: int,
    address_id: int,
    data: AddressIn,
) -> Model:
    """Replace the address's fields; history shows what changed."""
    return _change(request, (case_id, contact_id, address_id), "addresses", data)


@router.delete(
    f"{ROWS}/addresses/{{int:address_id}}",
    operation_id="fact_find_address_delete",
    summary="Remove an address from a client's Fact Find",
    response=responses(204, None, write=True),
)
def fact_find_address_delete(
    request: HttpRequest, case_id: int, contact_id: int, address_id: int
) -> Status[None]:
    """Remove the address; history keeps what it was."""
    return _remove(request, (case_id, contact_id, address_id), "addresses")


@router.post(
    f"{ROWS}/commitments",
    operation_id="fact_find_commitment_create",
    summary="Add a commitment to a client's Fact Find",
    response=responses(201, CommitmentOut, write=True),
)
def fact_find_commitment_create(
    request: HttpRequest, case_id: int, contact_id: int, data: CommitmentIn
) -> Status[Model]:
    """Add an outgoing or credit commitment; the case's history shows it."""
    return _add(request, case_id, contact_id, "commitments", data)


@router.put(
    f"{ROWS}/commitments/{{int:commitment_id}}",
    operation_id="fact_find_commitment_update",
    summary="Change a commitment on a client's Fact Find",
    response=responses(200, CommitmentOut, write=True),
)
def fact_find_commitment_update(
    request: HttpRequest,
    case_id: int,
    contact_id: int,
    commitment_id: int,
    data: CommitmentIn,
) -> Model:
    """Replace the commitment's fields; history shows what changed."""
    return _change(request, (case_id, contact_id, commitment_id), "commitments", data)


@router.delete(
    f"{ROWS}/commitments/{{int:commitment_id}}",
    operation_id="fact_find_commitment_delete",
    summary="Remove a commitment from a client's Fact Find",
    response=responses(204, None, write=True),
)
def fact_find_commitment_delete(
    request: HttpRequest, case_id: int, contact_id: int, commitment_id: int
) -> Status[None]:
    """Remove the commitment; history keeps what it was."""
    return _remove(request, (case_id, contact_id, commitment_id), "commitments")


@router.post(
    f"{ROWS}/policies",
    operation_id="fact_find_existing_policy_create",
    summary="Add an existing policy to a client's Fact Find",
    response=responses(201, ExistingPolicyOut, write=True),
)
def fact_find_existing_policy_create(
    request: HttpRequest, case_id: int, contact_id: int, data: ExistingPolicyIn
) -> Status[Model]:
    """Add a policy the client already holds; the case's history shows it."""
    return _add(request, case_id, contact_id, "policies", data)


@router.put(
    f"{ROWS}/policies/{{int:existing_policy_id}}",
    operation_id="fact_find_existing_policy_update",
    summary="Change an existing policy on a client's Fact Find",
    response=responses(200, ExistingPolicyOut, write=True),
)
def fact_find_existing_policy_update(
    request: HttpRequest,
    case_id: int,
    contact_id: int,
    existing_policy_id: int,
    data: ExistingPolicyIn,
) -> Model:
    """Replace the policy's fields; history shows what changed."""
    ids = (case_id, contact_id, existing_policy_id)
    return _change(request, ids, "policies", data)


@router.delete(
    f"{ROWS}/policies/{{int:existing_policy_id}}",
    operation_id="fact_find_existing_policy_delete",
    summary="Remove an existing policy from a client's Fact Find",
    response=responses(204, None, write=True),
)
def fact_find_existing_policy_delete(
    request: HttpRequest, case_id: int, contact_id: int, existing_policy_id: int
) -> Status[None]:
    """Remove the policy; history keeps what it was."""
    return _remove(request, (case_id, contact_id, existing_policy_id), "policies")
