"""What the case kernel adds to composite pages (called from ``ready()``)."""

from typing import Any

from crm.cases import kinds
from crm.cases.choices import CaseEventType
from crm.cases.selectors import cases as case_selectors
from crm.cases.selectors import documents as document_selectors
from crm.contacts.models import Contact
from crm.core import events, sections
from crm.firms.models import Firm, Membership
from crm.leads.models import Lead

SECTION_LIMIT = 10


def _contact_cases(
    *, firm: Firm, contact: Contact, viewer: Membership | None
) -> dict[str, Any]:
    """Return the client's cases ``viewer`` may see, and the kinds they can open."""
    cases = case_selectors.case_list_for_contact(
        firm=firm, contact=contact, viewer=viewer
    )
    return {
        "cases": list(cases[:SECTION_LIMIT]),
        "case_create_links": [
            {"label": kind.create_label, "url": kinds.create_url(kind)}
            for kind in kinds.kinds_for(firm)
            if kind.create_url_name
        ],
    }


def _contact_documents(
    *, firm: Firm, contact: Contact, viewer: Membership | None
) -> dict[str, Any]:
    return document_selectors.document_section(firm=firm, contact=contact)


def _lead_cases(*, firm: Firm, lead: Lead, viewer: Membership | None) -> dict[str, Any]:
    return {
        "cases": list(
            case_selectors.case_list_for_lead(firm=firm, lead=lead)[:SECTION_LIMIT]
        )
    }


def register() -> None:
    """Register kernel event types, the Cases search group and case sections."""
    events.register_types("case", CaseEventType.choices)
    sections.register_search(
        sections.SearchGroup(
            key="cases",
            label="Cases",
            noun="cases",
            search=case_selectors.case_hits,
            option_template="cases/search/_option.html",
            item_template="cases/search/_item.html",
            empty_text="No cases match.",
            order=30,
        )
    )
    sections.register(
        sections.Section(
            page="contact.record",
            key="cases",
            template="cases/_for_contact.html",
            provider=_contact_cases,
            region="side",
            order=10,
        )
    )
    sections.register(
        sections.Section(
            page="contact.record",
            key="documents",
            template="cases/_documents.html",
            provider=_contact_documents,
            region="wide",
            order=10,
        )
    )
    sections.register(
        sections.Section(
            page="lead.page",
            key="cases",
            template="cases/_for_lead.html",
            provider=_lead_cases,
            order=10,
            module="advice",
        )
    )
