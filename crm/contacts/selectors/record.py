"""Everything the client record page shows, gathered in a fixed number of queries."""

from typing import Any

from django.http import QueryDict

from crm.cases import selectors as case_selectors
from crm.cases.selectors import documents as document_selectors
from crm.contacts.models import Contact
from crm.contacts.selectors.contacts import contact_timeline
from crm.core.pagination import paginate
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.interactions import selectors as interaction_selectors
from crm.leads import selectors as lead_selectors
from crm.support import selectors as support_selectors
from crm.tasks import selectors as task_selectors

TIMELINE_PER_PAGE = 20
SECTION_LIMIT = 10


def client_record(
    *,
    firm: Firm,
    contact: Contact,
    params: QueryDict,
    principal: Principal | None = None,
) -> dict[str, Any]:
    """Return the client record's sections for ``contact`` (B4).

    Cases are only those ``principal`` may see (members with "view own cases
    only" do not learn the titles of their colleagues' cases).
    """
    people = (
        list(
            Contact.objects.filter(
                firm=firm, organisation=contact, is_archived=False
            ).order_by("sort_name", "id")[:50]
        )
        if not contact.is_person
        else []
    )
    return {
        **document_selectors.document_section(firm=firm, contact=contact),
        "cases": list(
            case_selectors.case_list_for_contact(
                firm=firm, contact=contact, principal=principal
            )[:SECTION_LIMIT]
        ),
        "leads": list(
            lead_selectors.lead_list_for_contact(firm=firm, contact=contact)[
                :SECTION_LIMIT
            ]
        ),
        "tasks": list(
            task_selectors.task_list_for(firm=firm, contact=contact)[:SECTION_LIMIT]
        ),
        "interactions": list(
            interaction_selectors.interaction_list_for(firm=firm, contact=contact)[
                :SECTION_LIMIT
            ]
        ),
        "people": people,
        "served_cases": support_selectors.served_cases(
            firm=firm, contact=contact, principal=principal
        )
        if firm.has_support
        else [],
        "timeline": paginate(
            contact_timeline(firm=firm, contact=contact),
            params=params,
            per_page=TIMELINE_PER_PAGE,
        ),
    }
