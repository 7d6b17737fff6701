"""Writes about contacts. Import the module and call ``services.x``."""

from crm.contacts.services.consents import consent_record, consent_row
from crm.contacts.services.contacts import (
    CONTACT_FIELDS,
    DuplicateContact,
    EmailTaken,
    apply_normalised,
    contact_create,
    contact_set_archived,
    contact_update,
    contact_view_record,
    email_holder,
    find_duplicates,
)
from crm.contacts.services.exports import contact_export, contact_import_errors_export
from crm.contacts.services.import_run import contact_import_run
from crm.contacts.services.imports import (
    contact_import_restart,
    contact_import_start,
    contact_import_upload,
)

__all__ = [
    "CONTACT_FIELDS",
    "DuplicateContact",
    "EmailTaken",
    "apply_normalised",
    "consent_record",
    "consent_row",
    "contact_create",
    "contact_export",
    "contact_import_errors_export",
    "contact_import_restart",
    "contact_import_run",
    "contact_import_start",
    "contact_import_upload",
    "contact_set_archived",
    "contact_update",
    "contact_view_record",
    "email_holder",
    "find_duplicates",
]
