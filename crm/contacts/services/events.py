"""The contact timeline: every service that touches a contact appends here."""

from typing import Any

from crm.contacts.choices import ContactEventType
from crm.contacts.models import Contact, ContactEvent
from crm.firms.models import Firm, User


def contact_event_record(
    *,
    firm: Firm,
    contact: Contact,
    type: ContactEventType,
    actor: User | None,
    summary: str = "",
    link: str = "",
    parameters: dict[str, Any] | None = None,
) -> ContactEvent:
    """Append one entry to ``contact``'s timeline (B4)."""
    if contact.firm_id != firm.pk:
        msg = "Contact belongs to another firm."
        raise ValueError(msg)
    event = ContactEvent(
        firm=firm,
        contact=contact,
        type=type,
        actor=actor if actor is not None and actor.is_authenticated else None,
        summary=summary[:300],
        link=link[:200],
        parameters=parameters or {},
    )
    event.save()
    return event
