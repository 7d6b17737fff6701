"""A support case's page: what it shows, shared by the page and its sections (D4).

``detail_context`` builds the whole page; ``item_section`` builds one of the
Client needs / Desired outcomes sections, which htmx requests re-render alone.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import TextChoices
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format

from crm.cases import selectors as case_selectors
from crm.cases.choices import CaseEventType
from crm.cases.models import Case, CaseEvent
from crm.core.exceptions import ApplicationError
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.interactions.choices import InteractionCaseEventType
from crm.support import selectors
from crm.support.choices import (
    ConcernLevel,
    Duration,
    ItemKind,
    PlanStatus,
    SupportEventType,
)
from crm.support.models import SupportItem
from crm.support.services.cases import check_support_case
from crm.tasks.choices import TaskCaseEventType

SECTION_TEMPLATE = "support/_section_items.html"
FIELD_LABELS = {
    "title": "Title",
    "owner": "Case manager",
    "note": "Notes",
    "start_date": "Start date",
    "duration": "Duration",
    "expected_end_date": "Expected end date",
    "pathway": "Pathway",
    "description": "Description",
    "target_date": "Target date",
    "lead": "Lead",
    "status": "Status",
}
CHOICES: dict[str, type[TextChoices]] = {"duration": Duration, "status": PlanStatus}
SECTIONS = {
    ItemKind.NEED: {
        "anchor": "needs",
        "heading": "Client needs",
        "noun": "need",
        "label": "Add a client need",
        "empty": "No client needs recorded yet.",
    },
    ItemKind.OUTCOME: {
        "anchor": "outcomes",
        "heading": "Desired outcomes",
        "noun": "outcome",
        "label": "Add a desired outcome",
        "empty": "No desired outcomes recorded yet.",
    },
}
_ROW_ID = re.compile(r" \(#\d+\)$")
DATE_FIELDS = frozenset(
    {"start_date", "expected_end_date", "target_date", "achieved_on"}
)


@dataclass(frozen=True)
class HistoryEntry:
    """A case event as the History card shows it."""

    event: CaseEvent
    title: str
    reason: str = ""
    changes: dict[str, list[Any]] = field(default_factory=dict)


def _readable(name: str, value: Any) -> Any:
    """Return a recorded value as a person reads it: labels, dates, no row ids."""
    if not isinstance(value, str) or not value:
        return value
    if name in CHOICES and value in CHOICES[name].values:
        return str(CHOICES[name](value).label)
    if name in DATE_FIELDS:
        try:
            return date_format(datetime.date.fromisoformat(value), "j M Y")
        except ValueError:
            return value
    return _ROW_ID.sub("", value)


def _changes(params: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        FIELD_LABELS.get(name, name): [_readable(name, v) for v in values]
        for name, values in (params.get("changes") or {}).items()
        if isinstance(values, list)
    }


def _concern(value: Any) -> str:
    return str(ConcernLevel(value).label) if value in ConcernLevel.values else "—"


def describe(event: CaseEvent) -> HistoryEntry:
    """Return the History card's line for a support case's event."""
    p = event.parameters or {}
    text, reason, kind = p.get("text", ""), p.get("reason", ""), event.type
    titles: dict[str, str] = {
        CaseEventType.CREATED: "Case opened",
        CaseEventType.CLOSED: "Case closed",
        CaseEventType.REOPENED: "Case reopened",
        SupportEventType.NEED_ADDED: f"Client need added: {text}",
        SupportEventType.NEED_REMOVED: f"Client need removed: {text}",
        SupportEventType.OUTCOME_ADDED: f"Desired outcome added: {text}",
        SupportEventType.OUTCOME_REMOVED: f"Desired outcome removed: {text}",
        SupportEventType.OUTCOME_ACHIEVED: (
            f"Outcome achieved: {text} "
            f"(on {_readable('achieved_on', p.get('achieved_on', ''))})"
        ),
        SupportEventType.OUTCOME_UNACHIEVED: f"Outcome marked not achieved: {text}",
        SupportEventType.PLAN_ADDED: f"Planned support added: {p.get('description')}",
        SupportEventType.PLAN_UPDATED: (
            f"Planned support updated: {p.get('description')}"
        ),
        SupportEventType.PLAN_DELETED: (
            f"Planned support deleted: {p.get('description')}"
        ),
        SupportEventType.SERVICE_LINKED: (
            f"External service linked: {p.get('contact')} ({p.get('role')})"
        ),
        SupportEventType.SERVICE_UNLINKED: (
            f"External service unlinked: {p.get('contact')} ({p.get('role')})"
        ),
        TaskCaseEventType.TASK_ADDED: f"Task added: {p.get('title')}",
        InteractionCaseEventType.INTERACTION_LOGGED: (
            f"{p.get('label') or 'Interaction'} logged"
        ),
        SupportEventType.CONCERN_CHANGED: (
            f"Concern level changed: {_concern(p.get('from'))} "
            f"→ {_concern(p.get('to'))}"
        ),
    }
    title = titles.get(kind, "")
    changes = {} if kind == SupportEventType.PLAN_ADDED else _changes(p)
    return HistoryEntry(event, title or event.get_type_display(), reason, changes)


def can_edit(request: StaffRequest) -> bool:
    """Return whether the member may change support cases."""
    return request.membership.has_perm(Perm.EDIT_CASES)


def item_section(
    request: StaffRequest,
    case: Case,
    kind: str,
    items: list[SupportItem] | None = None,
    **state: Any,
) -> dict[str, Any]:
    """Return one needs/outcomes section: its items, box text, error, focus."""
    if items is None:
        items = selectors.items_of(firm=request.firm, case=case, kind=kind)
    return {
        "kind": kind,
        "items": items,
        "text": "",
        "error": "",
        "alert": "",
        "message": "",
        "autofocus": False,
        **SECTIONS[ItemKind(kind)],
        **state,
    }


def section_response(
    request: StaffRequest, case: Case, kind: str, *, message: str = "", **state: Any
) -> HttpResponse:
    """Answer a section's form: the section alone for htmx, else back to the page."""
    if request.htmx and not request.htmx.boosted:
        context = {
            "case": case,
            "editable": can_edit(request) and case.is_open,
            "section": item_section(request, case, kind, message=message, **state),
        }
        return TemplateResponse(request, SECTION_TEMPLATE, context)
    error = state.get("error") or state.get("alert")
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect(f"{case.get_absolute_url()}#{SECTIONS[ItemKind(kind)]['anchor']}")


def refuse_if_closed(request: StaffRequest, case: Case) -> HttpResponse | None:
    """Send a closed case's visitor back to its page with the reason, else None."""
    try:
        check_support_case(request.firm, case)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(case)
    return None


def _beneficiary(case: Case) -> Any:
    applicants = list(case.applicants.all())
    return applicants[0].contact if applicants else None


def detail_context(
    request: StaffRequest, case: Case, **overrides: Any
) -> dict[str, Any]:
    """Return everything ``support/case_detail.html`` shows, with ``overrides``.

    Call it with a case from ``selectors.support_case_get(principal=...)``;
    ``overrides`` replace or add keys (a refused form, an error, a section
    whose text box keeps what was typed).
    """
    firm = request.firm
    page = selectors.support_case_page(firm=firm, case=case)
    details = case.support
    events = list(case_selectors.case_history(firm=firm, case=case))
    history = [describe(e) for e in events]
    here = case.get_absolute_url()
    linked = urlencode({"case": case.pk, "next": here})
    return {
        "case": case,
        "details": details,
        "beneficiary": _beneficiary(case),
        "concern": {
            "level": details.concern_level,
            "label": _concern(details.concern_level),
        },
        "concern_history": [
            h for h in history if h.event.type == SupportEventType.CONCERN_CHANGED
        ],
        "history": history,
        "can_edit": can_edit(request),
        "editable": can_edit(request) and case.is_open,
        "needs_section": item_section(request, case, ItemKind.NEED, page["needs"]),
        "outcomes_section": item_section(
            request, case, ItemKind.OUTCOME, page["outcomes"]
        ),
        "task_create_url": reverse("tasks:task_create") + f"?{linked}",
        "interaction_create_url": (
            reverse("interactions:interaction_create") + f"?{linked}"
        ),
        **page,
        **overrides,
    }
