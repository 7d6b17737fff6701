"""Reads about CSV imports of contacts: the imports, their rejected rows, the file."""

import csv
import io
import itertools
from collections.abc import Generator
from contextlib import closing
from typing import IO, Any

from django.db.models import QuerySet

from crm.contacts.models import ContactImport, ContactImportError
from crm.core.exceptions import NotFound
from crm.firms.models import Firm

PREVIEW_ROWS = 5
DELIMITERS = (",", ";", "\t")


def contact_import_get(*, firm: Firm, contact_import_id: int) -> ContactImport:
    """Return one of the firm's imports or raise ``NotFound``."""
    try:
        return ContactImport.objects.select_related("created_by").get(
            firm=firm, pk=contact_import_id
        )
    except ContactImport.DoesNotExist as exc:
        raise NotFound from exc


def contact_import_recent(*, firm: Firm, limit: int = 10) -> QuerySet[ContactImport]:
    """Return the firm's latest imports, newest first."""
    return (
        ContactImport.objects.filter(firm=firm)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:limit]
    )


def contact_import_error_list(
    *, firm: Firm, contact_import: ContactImport
) -> QuerySet[ContactImportError]:
    """Return the rows an import rejected, in file order."""
    return ContactImportError.objects.filter(
        firm=firm, contact_import=contact_import
    ).order_by("row_number", "id")


def csv_records(binary: IO[bytes] | Any) -> Generator[list[str], None, None]:
    """Yield the records of a UTF-8 CSV file (with or without BOM), header first.

    The delimiter is read from the header line: a comma, or the semicolon or
    tab some spreadsheet programs write. Blank records are yielded as ``[]``
    so that record numbers match the spreadsheet's row numbers. Raises
    ``UnicodeDecodeError`` or ``csv.Error`` for a file that is not CSV text.
    """
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        counts = {d: first.count(d) for d in DELIMITERS}
        delimiter = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
        lines = itertools.chain([first] if first else [], text)
        for record in csv.reader(lines, delimiter=delimiter):
            yield record if any(cell.strip() for cell in record) else []
    finally:
        text.detach()


def contact_import_preview(
    *, contact_import: ContactImport, rows: int = PREVIEW_ROWS
) -> list[list[str]]:
    """Return the first ``rows`` non-blank data rows of the stored file."""
    storage = contact_import.file.storage
    with (
        storage.open(contact_import.file.name, "rb") as binary,
        closing(csv_records(binary)) as records,
    ):
        data = (r for r in itertools.islice(records, 1, None) if r)
        return list(itertools.islice(data, rows))
