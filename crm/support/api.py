"""The support API: a support case's needs, outcomes, plans and services (K1).

Read only: the support case's page writes them, with its concern and
pathway rules. The case itself is read and moved through ``/cases``.
"""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema

from crm.core.api import register_lookup, require_module, responses
from crm.support import selectors

router = Router(tags=["Support cases"])


class ItemOut(Schema):
    """A client need or a desired outcome."""

    id: int
    kind: str
    text: str
    achieved_on: date | None
    created_at: datetime


class PlanOut(Schema):
    """A piece of planned support."""

    id: int
    description: str
    target_date: date | None
    status: str
    lead_id: int | None


class ServiceOut(Schema):
    """An external service working with the client."""

    id: int
    contact_id: int
    role: str
    created_at: datetime


class SupportOut(Schema):
    """A support case's needs, outcomes, planned support and external services."""

    needs: list[ItemOut]
    outcomes: list[ItemOut]
    planned_support: list[PlanOut]
    external_services: list[ServiceOut]
    days_open: int


def _support_case(request: HttpRequest, support_case_id: int) -> object:
    principal = require_module(request, "support")
    return selectors.support_case_get(
        firm=principal.firm, case_id=support_case_id, principal=principal
    )


register_lookup("support_case_id", _support_case)


@router.get(
    "/{int:support_case_id}/support",
    operation_id="support_case_details",
    summary="Get a support case's needs, outcomes, plans and services",
    response=responses(200, SupportOut),
)
def support_case_details(
    request: HttpRequest, support_case_id: int
) -> dict[str, object]:
    """Return the parts of a support case (404 for other kinds)."""
    principal = require_module(request, "support")
    case = selectors.support_case_get(
        firm=principal.firm, case_id=support_case_id, principal=principal
    )
    page = selectors.support_case_page(firm=principal.firm, case=case)
    return {
        "needs": page["needs"],
        "outcomes": page["outcomes"],
        "planned_support": page["plans"],
        "external_services": page["services"],
        "days_open": page["days_open"],
    }
