"""What the complaints register adds to the registries (called from ``ready()``).

Complaints show on the case page and the client record of members who may
manage them, and the dashboard gets a "Complaints due this week" tile.
"""

import datetime
from typing import Any

from crm.cases.models import Case
from crm.complaints import selectors
from crm.complaints.choices import ComplaintEventType
from crm.contacts.models import Contact
from crm.core import events, sections
from crm.core.permissions import Perm
from crm.core.principals import Principal
from crm.firms.models import Firm, User

DASHBOARD_ROWS = 5


def _may_manage(principal: Principal | None) -> bool:
    return principal is not None and principal.has_perm(Perm.MANAGE_COMPLAINTS)


def _case_complaints(
    *, firm: Firm, case: Case, contact: Contact | None, principal: Principal | None
) -> dict[str, Any]:
    """Return the case's complaints, for members who manage complaints."""
    if not _may_manage(principal):
        return {"complaints_shown": False}
    return {
        "complaints_shown": True,
        "complaints": selectors.complaints_about(firm=firm, case=case),
        "complaint_about": f"case={case.pk}",
    }


def _contact_complaints(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> dict[str, Any]:
    """Return the client's complaints, for members who manage complaints."""
    if not _may_manage(principal):
        return {"complaints_shown": False}
    return {
        "complaints_shown": True,
        "complaints": selectors.complaints_about(firm=firm, contact=contact),
        "complaint_about": f"contact={contact.pk}",
    }


def _dashboard_due(
    *, firm: Firm, user: User, principal: Principal, today: datetime.date
) -> dict[str, Any]:
    """Return the complaints due within a week, for the dashboard tile (M5)."""
    if not _may_manage(principal):
        return {"complaints_due": None}
    return {
        "complaints_due": selectors.complaints_due(
            firm=firm, today=today, limit=DASHBOARD_ROWS, principal=principal
        ),
        "complaint_counts": selectors.complaint_counts(
            firm=firm, today=today, principal=principal
        ),
        "complaints_today": today,
    }


def _line(type: ComplaintEventType) -> events.Formatter:
    def line(params: dict[str, Any]) -> str:
        title = f"{type.label}: {params.get('reference', '')}"
        if params.get("due"):
            title = f"{title}, final response due {params['due']}"
        if params.get("outcome"):
            title = f"{title}, {str(params['outcome']).replace('_', ' ')}"
        return title

    return line


def register() -> None:
    """Register history entries, the case and client sections and the tile."""
    for type in ComplaintEventType:
        events.register("case", type, type.label, _line(type))
    sections.register(
        sections.Section(
            page="case.page",
            key="complaints",
            template="complaints/_for_record.html",
            provider=_case_complaints,
            region="main",
            order=90,
        )
    )
    sections.register(
        sections.Section(
            page="contact.record",
            key="complaints",
            template="complaints/_for_record.html",
            provider=_contact_complaints,
            region="side",
            order=60,
        )
    )
    sections.register(
        sections.Section(
            page="dashboard",
            key="complaints_due",
            template="complaints/_dashboard_due.html",
            provider=_dashboard_due,
            region="tiles",
            order=60,
        )
    )
