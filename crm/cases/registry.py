"""What the case kernel adds to the registries (called from ``ready()``).

A case's history is ``CaseEvent`` rows; this module is the only one that
writes them, as the history writer ``crm.core.events.record`` calls for a
``Case``. It also says how the kernel's entries read on the History card;
a kind may tell them its own way (``events.register_formatter(...,
variant=<kind>)``).
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from crm.cases import kinds, policies
from crm.cases.choices import CaseContactEventType, CaseEventType
from crm.cases.models import Case, CaseEvent
from crm.cases.selectors import cases as case_selectors
from crm.cases.selectors import documents as document_selectors
from crm.contacts.models import Contact
from crm.core import events, sections, visibility
from crm.core.principals import Principal
from crm.firms.models import Firm, User
from crm.leads.models import Lead

SECTION_LIMIT = 10


def write_history(
    *,
    firm: Firm,
    subject: Case,
    type: str,
    actor: User | None,
    parameters: dict[str, Any],
) -> CaseEvent:
    """Append one typed entry to the case's history."""
    event = CaseEvent(
        firm=firm, case=subject, type=type, actor=actor, parameters=parameters
    )
    event.save()
    return event


def write_history_batch(
    *, firm: Firm, actor: User | None, entries: list[tuple[Any, str, dict[str, Any]]]
) -> list[CaseEvent]:
    """Append many typed entries to cases' histories in one insert."""
    return CaseEvent.objects.bulk_create(
        CaseEvent(firm=firm, case=case, type=type, actor=actor, parameters=parameters)
        for case, type, parameters in entries
    )


def _label(value: Any) -> str:
    return kinds.status_label(value) if isinstance(value, str) else str(value)


def _move(prefix: str) -> events.Formatter:
    """Return a formatter of a move: "<prefix> from A to B", with its reason."""

    def formatter(params: dict[str, Any]) -> events.HistoryLine:
        moved = f"from {_label(params.get('from'))} to {_label(params.get('to'))}"
        return events.HistoryLine(f"{prefix} {moved}", reason=params.get("reason", ""))

    return formatter


def _created(params: dict[str, Any]) -> str:
    return f"Case opened at {_label(params.get('status'))}"


def _updated(params: dict[str, Any]) -> events.HistoryLine:
    return events.HistoryLine(
        str(CaseEventType.UPDATED.label), changes=params.get("changes", {})
    )


def _applicant(prefix: str) -> events.Formatter:
    """Return a formatter of a joint applicant's change: "<prefix>: <name>"."""

    def formatter(params: dict[str, Any]) -> str:
        return f"{prefix}: {params.get('name', '')}"

    return formatter


FORMATTERS: dict[str, events.Formatter] = {
    CaseEventType.CREATED: _created,
    CaseEventType.UPDATED: _updated,
    CaseEventType.STATUS_CHANGED: _move("Moved"),
    CaseEventType.CLOSED: _move("Closed: moved"),
    CaseEventType.REOPENED: _move("Reopened: moved"),
    CaseEventType.APPLICANT_ADDED: _applicant("Joint applicant added"),
    CaseEventType.APPLICANT_REMOVED: _applicant("Joint applicant removed"),
}


def _create_links(firm: Firm) -> list[dict[str, Any]]:
    """Return the pages that open a case of each kind the firm has, once each.

    Each link has the kind's button ``label`` (one kind: the record shows
    that button) and its ``choice`` label (several: one + New Case lists them).
    """
    links: dict[str, dict[str, Any]] = {}
    for kind in kinds.kinds_for(firm):
        if kind.create_url_name:
            url = kinds.create_url(kind)
            links.setdefault(
                url,
                {
                    "label": kind.create_label,
                    "choice": kind.create_choice or kind.create_label,
                    "url": url,
                },
            )
    return list(links.values())


def _contact_cases(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> dict[str, Any]:
    """Return the client's cases ``principal`` may see, and the kinds they can open."""
    cases = case_selectors.case_rows_for_contact(
        firm=firm, contact=contact, principal=principal, limit=SECTION_LIMIT
    )
    links = _create_links(firm)
    several = len(links) > 1
    return {
        "cases": cases,
        # One kind: its own button; several: one + New Case listing them.
        "case_create_links": [] if several else links,
        "case_create_choices": (
            [
                {"label": link["choice"], "url": f"{link['url']}?contact={contact.pk}"}
                for link in links
            ]
            if several
            else []
        ),
    }


def _contact_documents(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> dict[str, Any]:
    return document_selectors.document_section(firm=firm, contact=contact)


def _lead_cases(
    *, firm: Firm, lead: Lead, principal: Principal | None
) -> dict[str, Any]:
    return {
        "cases": list(
            case_selectors.case_list_for_lead(
                firm=firm, lead=lead, principal=principal
            )[:SECTION_LIMIT]
        )
    }


ACTIVITY_ROWS = 6
ACTIVITY_DAYS = 14


def _recent_activity(
    *, firm: Firm, user: User, principal: Principal, today: date
) -> dict[str, Any]:
    """Return the last fortnight's history on the member's open cases (L1)."""
    since = datetime.combine(
        today - timedelta(days=ACTIVITY_DAYS),
        time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    rows = case_selectors.recent_activity(
        firm=firm, owner_id=user.pk, since=since, limit=ACTIVITY_ROWS
    )
    return {
        "recent_activity": [
            (
                row,
                events.describe("case", row.type, row.parameters or {}, row.case.kind),
            )
            for row in rows
        ]
    }


def register() -> None:
    """Register the kernel's history and timeline entries and the history writer."""
    for value, label in CaseEventType.choices:
        events.register("case", value, label, FORMATTERS.get(value))
    events.register_types("contact", CaseContactEventType.choices)
    events.register_history(
        Case, subject="case", writer=write_history, batch=write_history_batch
    )
    visibility.register_visible_case_ids(
        rule=policies.child_visibility_of, ids_as=policies.visible_case_ids_as
    )
    sections.register_search(
        sections.SearchGroup(
            key="cases",
            label="Cases",
            noun="cases",
            search=case_selectors.case_hits,
            option_template="cases/search/_option.html",
            item_template="cases/search/_item.html",
            empty_text="No cases match.",
            order=30,
        )
    )
    sections.register(
        sections.Section(
            page="contact.record",
            key="cases",
            template="cases/_for_contact.html",
            provider=_contact_cases,
            region="side",
            order=10,
        )
    )
    sections.register(
        sections.Section(
            page="contact.record",
            key="documents",
            template="cases/_documents.html",
            provider=_contact_documents,
            region="wide",
            order=10,
        )
    )
    sections.register(
        sections.Section(
            page="lead.page",
            key="cases",
            template="cases/_for_lead.html",
            provider=_lead_cases,
            order=10,
            module="advice",
        )
    )
    sections.register(
        sections.Section(
            page="dashboard",
            key="recent_activity",
            template="cases/_dashboard_activity.html",
            provider=_recent_activity,
            region="tiles",
            order=50,
        )
    )
