"""Writes of the reports app: a report's CSV download, which the audit log records."""

from collections.abc import Iterator
from decimal import Decimal

from django.db import transaction

from crm.contacts.services.exports import csv_chunks
from crm.core import events
from crm.core.choices import AuditVerb
from crm.firms.models import Firm, User
from crm.reports.selectors import ReportQuery, Row, Table
from crm.reports.selectors.base import Value


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _line(row: Row) -> list[str]:
    return [row.label, *(_cell(v) for v in row.values)]


@transaction.atomic
def report_export(
    *,
    firm: Firm,
    actor: User | None,
    key: str,
    title: str,
    table: Table,
    query: ReportQuery,
) -> Iterator[str]:
    """Return ``table`` as CSV (figures unformatted), and record the export (A7).

    The CSV has the same rows and total as the page's table; the audit row
    names the report and the filters it was downloaded with.
    """
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.EXPORT,
        object_type="reports.report",
        object_id=key,
        object_repr=f"{title} CSV export",
        changes={
            name: [None, value] for name, value in query.as_kwargs().items() if value
        },
    )
    header = [table.row_heading, *(column.label for column in table.columns)]
    lines = [_line(row) for row in table.rows]
    lines.append(_line(table.total))
    return csv_chunks(header, lines)
