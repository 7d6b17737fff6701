"""The complaints register as CSV (M5)."""

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction

from crm.complaints.choices import ComplaintRoute
from crm.complaints.models import Complaint
from crm.contacts.services.exports import csv_chunks
from crm.core import events
from crm.core.choices import AuditVerb
from crm.firms.models import Firm, User


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value is not None else ""


@transaction.atomic
def complaint_export(
    *, firm: Firm, actor: User, complaints: Iterable[Complaint], filters: dict[str, Any]
) -> Iterator[str]:
    """Return the register as CSV (one row a complaint), and record the export."""
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.EXPORT,
        object_type="complaints.complaint",
        object_id="",
        object_repr="Complaints register CSV export",
        changes={name: [None, value] for name, value in filters.items() if value},
    )
    header = [
        "Reference",
        "Received",
        "Category",
        "Handling",
        "Case",
        "Client",
        "Handler",
        "Final response due",
        "Final response sent",
        "Outcome",
        "Redress (£)",
        "What the client said",
    ]
    rows = (
        [
            c.reference,
            _date(c.received_on),
            c.get_category_display(),
            "Summary resolution" if c.route == ComplaintRoute.SUMMARY else "Standard",
            c.case.reference if c.case is not None else "",
            c.contact.display_name if c.contact is not None else "",
            c.handler.full_name if c.handler is not None else "",
            _date(c.due_on),
            _date(c.final_response_on),
            c.get_outcome_display(),
            f"{c.redress:f}" if c.redress is not None else "",
            c.summary,
        ]
        for c in complaints
    )
    return csv_chunks(header, rows)
