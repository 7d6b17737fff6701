"""The Clients list's own cells, drawn in Python (``crm.core.rows``)."""

from crm.contacts.models import Contact
from crm.core.rows import RowPage, e


def name(contact: Contact, page: RowPage) -> str:
    """Return ``contacts/contact_list.html#name``."""
    url = page.url("contacts:contact_detail", "contact_id", contact.pk)
    kind = "" if contact.is_person else '<span class="badge">Organisation</span>'
    organisation = contact.organisation
    of = (
        f'<span class="muted">· {e(organisation.display_name)}</span>'
        if organisation
        else ""
    )
    return f'\n  <a href="{url}">{e(contact.display_name)}</a>\n  {kind}\n  {of}\n'


def phone(contact: Contact, page: RowPage) -> str:
    """Return ``contacts/contact_list.html#phone``."""
    number = contact.mobile or contact.other_phone
    return f'\n  <span class="nowrap">{e(number) if number else "—"}</span>\n'
