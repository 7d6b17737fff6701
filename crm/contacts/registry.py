"""What the contacts app adds to the registries (called from ``ready()``).

The client timeline is ``ContactEvent`` rows; this module is the only one
that writes them, as the timeline writer of ``crm.core.events.record``.
"""

from typing import Any, cast

from crm.contacts.choices import ContactEventType
from crm.contacts.models import Contact, ContactEvent
from crm.core import events, kept_insert
from crm.firms.models import Firm, User


def write_timeline(
    *,
    firm: Firm,
    contact: Contact,
    type: str,
    actor: User | None,
    summary: str,
    link: str,
    parameters: dict[str, Any],
) -> ContactEvent:
    """Append one entry to ``contact``'s timeline (B4)."""
    if contact.firm_id != firm.pk:
        msg = "Contact belongs to another firm."
        raise ValueError(msg)
    event = ContactEvent(
        firm=firm,
        contact=contact,
        type=type,
        actor=actor,
        summary=summary,
        link=link,
        parameters=parameters,
    )
    event.save()
    return event


def write_timeline_batch(
    *,
    firm: Firm,
    type: str,
    actor: User | None,
    entries: list[events.TimelineEntry],
) -> list[ContactEvent]:
    """Append many timeline entries in one INSERT (imports, deferred events).

    A few rows (one request's events) go as plain VALUES rows, an import's
    batch through ``bulk_create`` (``kept_insert.insert_many``).

    Each entry is of its own ``type`` if it has one, else of ``type``.
    """
    contacts = [cast(Contact, e.contact) for e in entries]
    if any(contact.firm_id != firm.pk for contact in contacts):
        msg = "Contact belongs to another firm."
        raise ValueError(msg)
    rows = [
        ContactEvent(
            firm=firm,
            contact=contact,
            type=e.type or type,
            actor=actor,
            summary=e.summary,
            link=e.link,
            parameters=e.params,
        )
        for contact, e in zip(contacts, entries, strict=True)
    ]
    kept_insert.insert_many(rows)
    return rows


def register() -> None:
    """Register the timeline writer and the contact's own timeline entries."""
    events.register_types("contact", ContactEventType.choices)
    events.register_timeline(write_timeline, write_timeline_batch)
