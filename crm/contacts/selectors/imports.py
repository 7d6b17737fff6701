"""Reads about CSV imports of contacts: the imports, their rejected rows, the file.

Reading the CSV file itself is here too: its records, its header row and its
preview, for the upload, the mapping page and the import run.
"""

import csv
import datetime
import io
import itertools
from collections.abc import Generator, Iterator
from contextlib import closing
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from crm.contacts.choices import ImportStatus
from crm.contacts.models import ContactImport, ContactImportError
from crm.core.exceptions import ApplicationError, NotFound
from crm.firms.models import Firm

PREVIEW_ROWS = 5
MAX_COLUMNS = 100
DELIMITERS = (",", ";", "\t")
# A running import whose worker has not reported for this long has stalled.
STALL_AFTER = datetime.timedelta(minutes=5)


def contact_import_get(*, firm: Firm, contact_import_id: int) -> ContactImport:
    """Return one of the firm's imports or raise ``NotFound``."""
    try:
        return ContactImport.objects.select_related("created_by").get(
            firm=firm, pk=contact_import_id
        )
    except ContactImport.DoesNotExist as exc:
        raise NotFound from exc


def contact_import_stalled(*, contact_import: ContactImport) -> bool:
    """Return True for a running import whose worker has stopped reporting.

    The job writes ``heartbeat_at`` when it claims the import and after each
    batch; a worker killed mid-run stops writing it. A running import with no
    heartbeat at all predates the field, so it has stalled too.
    """
    if contact_import.status != ImportStatus.RUNNING:
        return False
    beat = contact_import.heartbeat_at
    return beat is None or beat < timezone.now() - STALL_AFTER


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
        lines = _Lines(itertools.chain([first] if first else [], text))
        reader = csv.reader(lines, delimiter=delimiter)
        for record in reader:
            raw, lines.taken = lines.taken, []
            if len(raw) > 1:
                _check_closed(raw, delimiter, reader.line_num - len(raw) + 1)
            yield record if any(cell.strip() for cell in record) else []
    finally:
        text.detach()


class _Lines:
    """The file's lines, keeping those the current record was read from."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.taken: list[str] = []

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.taken.append(line)
        return line


def _check_closed(raw: list[str], delimiter: str, row: int) -> None:
    """Raise ``csv.Error`` if a record over several lines never closed its quote.

    The lenient reader would otherwise read the rest of the file into one
    cell without a word: an unterminated quote swallows every row after it.
    """
    try:
        for _record in csv.reader(raw, delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            msg = (
                f'row {row} opens a quote (") that is never closed, so every '
                "line after it would be read as one cell; close the quote or "
                "remove it"
            )
            raise csv.Error(msg) from None


def file_error(message: str, code: str = "invalid_file") -> ApplicationError:
    """Return an error about the uploaded file, shown on the form's file field."""
    return ApplicationError(message, code, {"field": "file"})


def _looks_like_data(cell: str) -> bool:
    """Return True for an e-mail address, a date or a phone number."""
    return "@" in cell or sum(c.isdigit() for c in cell) >= 6


def _headers(row: list[str]) -> list[str]:
    """Return the column names, blanks named and repeats numbered."""
    if not row:
        msg = (
            "The first row is empty. It must name the columns, e.g. First name, Email."
        )
        raise file_error(msg, "no_header")
    if len(row) > MAX_COLUMNS:
        msg = f"The file has {len(row)} columns; an import takes {MAX_COLUMNS} at most."
        raise file_error(msg, "too_many_columns")
    if data := next((cell for cell in row if _looks_like_data(cell.strip())), None):
        raise file_error(
            f"The first row looks like a contact (“{data.strip()}”), not column "
            "names. Add a first row that names each column, e.g. First name, "
            "Last name, Email.",
            "no_header",
        )
    names: list[str] = []
    for number, cell in enumerate(row, start=1):
        name = base = " ".join(cell.replace("\x00", " ").split())[:80] or (
            f"Column {number}"
        )
        copy = 2
        while name in names:
            name, copy = f"{base} ({copy})", copy + 1
        names.append(name)
    return names


def csv_inspect(binary: IO[bytes] | Any) -> tuple[list[str], int]:
    """Return a CSV file's column names and its number of non-blank data rows.

    Raises ``ApplicationError`` (on the form's ``file`` field) saying what is
    wrong with a file that is not UTF-8 CSV text with a header row and rows.
    """
    try:
        with closing(csv_records(binary)) as records:
            headers = _headers(next(records, []))
            total = sum(1 for record in records if record)
    except UnicodeDecodeError:
        msg = (
            "The file is not UTF-8 text. In Excel, choose Save As and the "
            "format “CSV UTF-8 (Comma delimited)”."
        )
        raise file_error(msg, "not_utf8") from None
    except csv.Error as exc:
        raise file_error(f"The file is not a valid CSV file ({exc}).") from None
    if not total:
        msg = "The file has column names but no rows of contacts below them."
        raise file_error(msg, "no_rows")
    return headers, total


def contact_import_preview(
    *, contact_import: ContactImport, rows: int = PREVIEW_ROWS
) -> list[list[str]]:
    """Return the first ``rows`` non-blank data rows of the stored file.

    A file that has gone from storage gives no rows; the import itself then
    fails with a message that says so.
    """
    storage = contact_import.file.storage
    if not storage.exists(contact_import.file.name):
        return []
    with (
        storage.open(contact_import.file.name, "rb") as binary,
        closing(csv_records(binary)) as records,
    ):
        data = (r for r in itertools.islice(records, 1, None) if r)
        return list(itertools.islice(data, rows))
