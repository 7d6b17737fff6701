"""CSV download of the filtered support Cases list (SPEC I1, D2)."""

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from crm.cases.models import Case
from crm.contacts.services.exports import CHUNK, csv_chunks
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.principals import Principal
from crm.firms.models import Firm, User
from crm.support.models import ScoreSet
from crm.support.selectors import funder_report, support_case_list

EXPORT_LABELS = [
    "Reference",
    "Title",
    "Beneficiary",
    "Case manager",
    "Status",
    "Concern",
    "Pathway",
    "Start date",
    "Expected end",
    "Created",
]


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _row(case: Case) -> list[str]:
    details = case.support
    beneficiary = "; ".join(a.contact.display_name for a in case.applicants.all())
    return [
        case.reference,
        case.title,
        beneficiary,
        str(case.owner) if case.owner else "",
        str(case.get_status_display()),
        str(details.get_concern_level_display()),
        details.pathway.name if details.pathway else "",
        _date(details.start_date),
        _date(details.expected_end_date),
        timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
    ]


def support_case_export(
    *,
    firm: Firm,
    actor: User | None,
    principal: Principal | None = None,
    **filters: Any,
) -> Iterator[str]:
    """Return the firm's support cases, filtered and sorted as on the list, as CSV.

    ``filters`` are ``support_case_list``'s keyword arguments; the audit log
    records them with the export.
    """
    cases = support_case_list(firm=firm, principal=principal, **filters)
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.EXPORT,
        object_type=Case._meta.label_lower,
        object_repr="Support cases CSV export",
        changes={name: [None, str(value)] for name, value in filters.items() if value},
    )
    rows = (_row(case) for case in cases.iterator(chunk_size=CHUNK))
    return csv_chunks(EXPORT_LABELS, rows)


FUNDER_LABELS = [
    "Scale",
    "Pathway",
    "Cases",
    "Average first score",
    "Average latest score",
    "Distance travelled",
    "Cases improved",
    "Share improved (%)",
    "Range",
]


def funder_report_export(
    *, firm: Firm, actor: User | None, **filters: Any
) -> Iterator[str]:
    """Return the funder report (``funder_report``'s ``filters``) as CSV, audited."""
    rows = funder_report(firm=firm, **filters)
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.EXPORT,
        object_type=ScoreSet._meta.label_lower,
        object_repr="Funder report CSV export",
        changes={name: [None, str(value)] for name, value in filters.items() if value},
    )
    lines = (
        [
            r.scale,
            r.pathway,
            str(r.cases),
            f"{r.start:.2f}",
            f"{r.latest:.2f}",
            f"{r.distance:+.2f}",
            str(r.improved),
            str(r.improved_share),
            f"{r.min_score}-{r.max_score}",
        ]
        for r in rows
    )
    return csv_chunks(FUNDER_LABELS, lines)
