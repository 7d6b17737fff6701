"""Reads about contacts."""

from crm.contacts.selectors.contacts import (
    contact_get,
    contact_list,
    contact_timeline,
    organisation_choices,
)

__all__ = ["contact_get", "contact_list", "contact_timeline", "organisation_choices"]
