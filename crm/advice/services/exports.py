"""CSV download of the filtered Cases list (SPEC D2)."""

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from crm.cases.models import Case
from crm.cases.selectors import case_list
from crm.contacts.services.exports import CHUNK, csv_chunks
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.principals import Principal
from crm.firms.models import Firm, User

EXPORT_LABELS = [
    "Reference",
    "Clients",
    "Kind",
    "Status",
    "Open",
    "Owner",
    "Follow-up",
    "Created",
    "Closed",
    "Close reason",
]


def _row(case: Case) -> list[str]:
    clients = "; ".join(a.contact.display_name for a in case.applicants.all())
    return [
        case.reference,
        clients,
        str(case.get_kind_display()),
        str(case.get_status_display()),
        "yes" if case.is_open else "no",
        str(case.owner) if case.owner else "",
        case.follow_up_date.isoformat() if case.follow_up_date else "",
        timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(case.closed_at).strftime("%Y-%m-%d %H:%M")
        if case.closed_at
        else "",
        case.close_reason,
    ]


def case_export(
    *,
    firm: Firm,
    actor: User | None,
    principal: Principal | None = None,
    **filters: Any,
) -> Iterator[str]:
    """Return the firm's cases, filtered and sorted as on the list, as CSV.

    ``filters`` are ``case_list``'s keyword arguments; the audit log records them.
    """
    cases = case_list(firm=firm, principal=principal, **filters)
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.EXPORT,
        object_type=Case._meta.label_lower,
        object_repr="Cases CSV export",
        changes={name: [None, value] for name, value in filters.items() if value},
    )
    rows = (_row(case) for case in cases.iterator(chunk_size=CHUNK))
    return csv_chunks(EXPORT_LABELS, rows)
