"""Writes about contacts. Import the module and call ``services.x``."""

from crm.contacts.services.contacts import (
    CONTACT_FIELDS,
    DuplicateContact,
    apply_normalised,
    contact_create,
    contact_set_archived,
    contact_update,
    find_duplicates,
)
from crm.contacts.services.events import contact_event_record

__all__ = [
    "CONTACT_FIELDS",
    "DuplicateContact",
    "apply_normalised",
    "contact_create",
    "contact_event_record",
    "contact_set_archived",
    "contact_update",
    "find_duplicates",
]
