"""A support case's page: what it shows, shared by the page and its sections (D4).

``detail_context`` builds the whole page; ``item_section`` builds one of the
Client needs / Desired outcomes sections, which htmx requests re-render alone.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from crm.cases import selectors as case_selectors
from crm.cases.models import Case
from crm.core import events
from crm.core.exceptions import ApplicationError
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.support import selectors, trend
from crm.support.charts import case_chart
from crm.support.choices import ItemKind, SupportEventType
from crm.support.models import SupportItem
from crm.support.registry import concern_label
from crm.support.services.cases import check_support_case

SECTION_TEMPLATE = "support/_section_items.html"
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
    history = events.history_entries(
        case_selectors.case_history_rows(firm=firm, case=case),
        subject="case",
        variant=case.kind,
    )
    concern_history = [
        h for h in history if h.event.type == SupportEventType.CONCERN_CHANGED
    ]
    steps = trend.concern_steps(
        opened_at=case.created_at,
        current=details.concern_level,
        changes=concern_history,
    )
    here = case.get_absolute_url()
    linked = urlencode({"case": case.pk, "next": here})
    return {
        "case": case,
        "details": details,
        "beneficiary": _beneficiary(case),
        "concern": {
            "level": details.concern_level,
            "label": concern_label(details.concern_level),
        },
        "concern_history": concern_history,
        "concern_trend": trend.concern_trend(
            steps=steps, until=case.closed_at or timezone.now()
        ),
        "history": history,
        "outcome_scores": [
            {"outcome": o, "chart": case_chart(o)}
            for o in selectors.case_outcomes(firm=firm, case=case)
        ],
        "referrals_out": selectors.case_referrals_out(firm=firm, case=case),
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
