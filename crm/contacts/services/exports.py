"""CSV downloads: the filtered contact list and an import's rejected rows (B5).

Each service records the export in the audit log, then returns the CSV as an
iterator of text chunks that reads the rows in chunks of ``CHUNK`` only when
the response streams. The first chunk starts with a byte order mark, so
Excel opens the file as UTF-8.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator

from django.utils import timezone

from crm.contacts.forms_import import FIELD_LABELS
from crm.contacts.models import Contact, ContactImport
from crm.contacts.selectors.contacts import contact_list
from crm.contacts.selectors.imports import contact_import_error_list
from crm.contacts.services.contacts import CONTACT_FIELDS
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

BOM = "\ufeff"
CHUNK = 2000
ROWS_PER_WRITE = 500
EXPORT_FIELDS = (*CONTACT_FIELDS, "created_at")
EXPORT_LABELS = [FIELD_LABELS[f] for f in CONTACT_FIELDS] + ["Created"]
_PHONE_OR_NUMBER = re.compile(r"[+-]?[\d\s().-]+")

# A search matching more than this is not a filter; export the full list instead.
EXPORT_SEARCH_LIMIT = 10_000


def spreadsheet_safe(value: str) -> str:
    """Return ``value`` so that a spreadsheet shows it, never runs it as a formula.

    Cells starting with ``=``, ``@``, a tab or a carriage return, or with
    ``+`` or ``-`` followed by more than a number, get a leading apostrophe;
    phone numbers such as ``+44 7700 900123`` are left alone.
    """
    first = value[:1]
    if first in {"=", "@", "\t", "\r"} or (
        first in {"+", "-"} and not _PHONE_OR_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_chunks(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """Yield CSV text for ``header`` and ``rows``, a few hundred rows a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(v) for v in header])
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(rows, start=1):
        writer.writerow([spreadsheet_safe(v) for v in row])
        if number % ROWS_PER_WRITE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if rest := buffer.getvalue():
        yield rest


def _cell(contact: Contact, field: str) -> str:
    if field == "organisation":
        return contact.organisation.display_name if contact.organisation else ""
    if field == "date_of_birth":
        return contact.date_of_birth.isoformat() if contact.date_of_birth else ""
    if field == "marketing_consent":
        return "yes" if contact.marketing_consent else "no"
    if field == "created_at":
        return timezone.localtime(contact.created_at).strftime("%Y-%m-%d %H:%M")
    return str(contact.export_value(field))


def contact_export(
    *,
    firm: Firm,
    actor: User | None,
    kind: str = "",
    archived: bool = False,
    sort: str = "name",
    q: str = "",
) -> Iterator[str]:
    """Return the firm's contacts, filtered and sorted as on the list, as CSV."""
    contacts = contact_list(
        firm=firm,
        kind=kind,
        archived=archived,
        q=q,
        sort=sort,
        search_limit=EXPORT_SEARCH_LIMIT,
    ).contacts
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.EXPORT,
        object_type=Contact._meta.label_lower,
        object_repr="Contacts CSV export",
        changes={
            "kind": [None, kind or "all"],
            "archived": [None, archived],
            "sort": [None, sort],
            "search": [None, q],
        },
    )
    rows = (
        [_cell(contact, field) for field in EXPORT_FIELDS]
        for contact in contacts.iterator(chunk_size=CHUNK)
    )
    return csv_chunks(EXPORT_LABELS, rows)


def contact_import_errors_export(
    *, firm: Firm, actor: User | None, contact_import: ContactImport
) -> Iterator[str]:
    """Return an import's rejected rows as CSV: row number, reason, the values."""
    ensure_same_firm(firm, contact_import)
    headers: list[str] = list(contact_import.mapping.get("headers", []))
    errors = contact_import_error_list(firm=firm, contact_import=contact_import)
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.EXPORT,
        subject=contact_import,
        changes={"rejected_rows": [None, contact_import.error_count]},
    )
    rows = (
        [str(error.row_number), error.reason, *(error.data.get(h, "") for h in headers)]
        for error in errors.iterator(chunk_size=CHUNK)
    )
    return csv_chunks(["Row", "Reason", *headers], rows)
