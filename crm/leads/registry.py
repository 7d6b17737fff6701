"""What the leads app adds to the registries (called from ``ready()``).

The lead's history is ``LeadEvent`` rows; this module is the only one that
writes them, as the history writer ``crm.core.events.record`` calls for a
``Lead``. It also says how each entry reads on the lead's History card.
"""

from datetime import date
from typing import Any

from crm.contacts.models import Contact
from crm.core import events, sections
from crm.core.principals import Principal
from crm.firms.models import Firm, User
from crm.leads import selectors
from crm.leads.choices import (
    OPEN_STATUSES,
    LeadContactEventType,
    LeadEventType,
    LeadStatus,
)
from crm.leads.models import Lead, LeadEvent


def write_history(
    *,
    firm: Firm,
    subject: Lead,
    type: str,
    actor: User | None,
    parameters: dict[str, Any],
) -> LeadEvent:
    """Append one typed entry to the lead's history."""
    event = LeadEvent(
        firm=firm, lead=subject, type=type, actor=actor, parameters=parameters
    )
    event.save()
    return event


def _status_label(value: Any) -> str:
    return str(LeadStatus(value).label) if value in LeadStatus.values else str(value)


def _moved(params: dict[str, Any]) -> events.HistoryLine:
    title = (
        f"Moved from {_status_label(params.get('from'))} "
        f"to {_status_label(params.get('to'))}"
    )
    return events.HistoryLine(title, reason=params.get("reason", ""))


def _updated(params: dict[str, Any]) -> events.HistoryLine:
    return events.HistoryLine("Details updated", changes=params.get("changes", {}))


def _created(params: dict[str, Any]) -> str:
    return f"Lead created at {_status_label(params.get('status', 'new_lead'))}"


def _converted(params: dict[str, Any]) -> str:
    """Say whether the lead converted or a later need added a case (C3).

    The case is not named: the lead's page lists the cases the reader may
    see, and a member who sees only their own cases must not learn another's
    reference from the history.
    """
    if params.get("from") == LeadStatus.CONVERTED:
        return "Another case added from the lead"
    return "Converted to a case"


SECTION_LIMIT = 10

FORMATTERS: dict[str, events.Formatter] = {
    LeadEventType.CREATED: _created,
    LeadEventType.UPDATED: _updated,
    LeadEventType.STATUS_CHANGED: _moved,
    LeadEventType.CONVERTED: _converted,
}


def _contact_leads(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> dict[str, Any]:
    """Return the client's latest leads for the client record."""
    return {
        "leads": selectors.lead_rows_for_contact(
            firm=firm, contact=contact, limit=SECTION_LIMIT
        )
    }


def _pipeline(
    *, firm: Firm, user: User, principal: Principal, today: date
) -> dict[str, Any]:
    """Return the firm's open leads by stage, in pipeline order (L1)."""
    counts = selectors.lead_status_counts(firm=firm)
    return {
        "pipeline": [
            {"status": status, "label": status.label, "count": counts[status]}
            for status in OPEN_STATUSES
        ]
    }


def register() -> None:
    """Register the lead's history and timeline entries and the history writer."""
    for value, label in LeadEventType.choices:
        events.register("lead", value, label, FORMATTERS.get(value))
    events.register_types("contact", LeadContactEventType.choices)
    events.register_history(Lead, subject="lead", writer=write_history)
    sections.register_search(
        sections.SearchGroup(
            key="leads",
            label="Leads",
            noun="leads",
            search=selectors.lead_hits,
            option_template="leads/search/_option.html",
            item_template="leads/search/_item.html",
            empty_text="No open leads for these clients.",
            order=20,
            module="advice",
        )
    )
    sections.register(
        sections.Section(
            page="contact.record",
            key="leads",
            template="leads/_for_contact.html",
            provider=_contact_leads,
            region="side",
            order=30,
            module="advice",
        )
    )
    sections.register(
        sections.Section(
            page="dashboard",
            key="pipeline",
            template="leads/_dashboard_pipeline.html",
            provider=_pipeline,
            region="wide",
            order=10,
            module="advice",
        )
    )
