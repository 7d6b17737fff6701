"""What the leads app adds to composite pages (called from ``ready()``)."""

from typing import Any

from crm.contacts.models import Contact
from crm.core import sections
from crm.firms.models import Firm, Membership
from crm.leads import selectors

SECTION_LIMIT = 10


def register() -> None:
    """Register the Leads group of the header search and the record's Leads card."""
    sections.register_search(
        sections.SearchGroup(
            key="leads",
            label="Leads",
            noun="leads",
            search=selectors.lead_hits,
            option_template="leads/search/_option.html",
            item_template="leads/search/_item.html",
            empty_text="No open leads for these clients.",
            order=20,
            module="advice",
        )
    )
    sections.register(
        sections.Section(
            page="contact.record",
            key="leads",
            template="leads/_for_contact.html",
            provider=_contact_leads,
            region="side",
            order=30,
            module="advice",
        )
    )


def _contact_leads(
    *, firm: Firm, contact: Contact, viewer: Membership | None
) -> dict[str, Any]:
    """Return the client's latest leads for the client record."""
    return {
        "leads": list(
            selectors.lead_list_for_contact(firm=firm, contact=contact)[:SECTION_LIMIT]
        )
    }
