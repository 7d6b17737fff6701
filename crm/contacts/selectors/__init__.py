"""Reads about contacts."""

from crm.contacts.selectors.contacts import (
    DEFAULT_SORT,
    SORTS,
    ContactList,
    ContactListQuery,
    contact_get,
    contact_list,
    contact_page,
    contact_timeline,
    organisation_choices,
    organisation_get,
    people_picked,
    person_picked,
)
from crm.contacts.selectors.imports import (
    contact_import_error_list,
    contact_import_get,
    contact_import_preview,
    contact_import_recent,
)

__all__ = [
    "DEFAULT_SORT",
    "SORTS",
    "ContactList",
    "ContactListQuery",
    "contact_get",
    "contact_import_error_list",
    "contact_import_get",
    "contact_import_preview",
    "contact_import_recent",
    "contact_list",
    "contact_page",
    "contact_timeline",
    "organisation_choices",
    "organisation_get",
    "people_picked",
    "person_picked",
]
