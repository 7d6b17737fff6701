"""What the interactions app adds to the registries (called from ``ready()``)."""

from typing import Any

from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import events, sections
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.interactions import selectors
from crm.interactions.choices import (
    InteractionCaseEventType,
    InteractionContactEventType,
)
from crm.leads.models import Lead

SECTION_LIMIT = 10


def _contact_interactions(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> dict[str, Any]:
    found = selectors.interaction_recent_for_contact(
        firm=firm, principal=principal, contact=contact, limit=SECTION_LIMIT
    )
    return {"interactions": found}


def _lead_interactions(
    *, firm: Firm, lead: Lead, principal: Principal | None
) -> dict[str, Any]:
    found = selectors.interaction_list_for(firm=firm, principal=principal, lead=lead)
    return {"interactions": list(found[:SECTION_LIMIT])}


def _logged(params: dict[str, Any]) -> str:
    return f"{params.get('label') or 'Interaction'} logged"


def _case_interactions(
    *, firm: Firm, case: Case, contact: Contact | None, principal: Principal | None
) -> dict[str, Any]:
    """Return the case's own interactions and notes for its page (D1, J2)."""
    found = selectors.case_interaction_rows(
        firm=firm, case=case, principal=principal, limit=SECTION_LIMIT
    )
    for entry in found:
        entry.case = case  # the page's own case: not joined again
    return {"case_interactions": found}


def register() -> None:
    """Register the entries an interaction leaves in histories and timelines."""
    events.register(
        "case",
        InteractionCaseEventType.INTERACTION_LOGGED,
        InteractionCaseEventType.INTERACTION_LOGGED.label,
        _logged,
    )
    events.register_types("contact", InteractionContactEventType.choices)
    sections.register(
        sections.Section(
            page="contact.record",
            key="interactions",
            template="interactions/_for_contact.html",
            provider=_contact_interactions,
            region="side",
            order=50,
        )
    )
    sections.register(
        sections.Section(
            page="lead.page",
            key="interactions",
            template="interactions/_for_lead.html",
            provider=_lead_interactions,
            region="pair",
            order=50,
        )
    )
    sections.register(
        sections.Section(
            page="case.page",
            key="interactions",
            template="interactions/_for_case.html",
            provider=_case_interactions,
            region="pair",
            order=50,
        )
    )
