"""Everything the client record page shows, gathered in a fixed number of queries.

The record's cards about other records (cases, leads, tasks, interactions,
documents, the support cases a contact serves) are sections that their apps
register on the ``"contact.record"`` page (``crm.core.sections``).
"""

from typing import Any

from django.http import QueryDict

from crm.contacts.models import Contact
from crm.contacts.selectors.contacts import contact_timeline_page
from crm.core import sections
from crm.core.principals import Principal
from crm.firms.models import Firm

TIMELINE_PER_PAGE = 20


def client_record(
    *,
    firm: Firm,
    contact: Contact,
    params: QueryDict,
    principal: Principal | None = None,
) -> dict[str, Any]:
    """Return the client record's context for ``contact`` (B4).

    Sections see ``principal``, so members with "view own cases only" do not
    learn the titles of their colleagues' cases.
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
    found = sections.gather(
        "contact.record", firm=firm, contact=contact, principal=principal
    )
    return {
        **found.context,
        "record_sections": found,
        "people": people,
        "timeline": contact_timeline_page(
            firm=firm,
            contact=contact,
            principal=principal,
            params=params,
            per_page=TIMELINE_PER_PAGE,
        ),
    }
