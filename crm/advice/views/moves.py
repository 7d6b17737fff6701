"""Stage moves that close a case: the confirmation both the case page and the
boards show first, saying what will happen (SPEC D3).

A move into a closing stage (Completed, On Risk, Not Proceeding With,
Declined By Provider) is carried out only when the form says ``confirm=yes``;
otherwise the view answers with this confirmation, whose form repeats the
move with ``confirm=yes`` (and the reason, where the stage needs one).
"""

from typing import Any

from django.http import QueryDict
from django.template.response import TemplateResponse
from django_htmx.http import retarget

from crm.advice.choices import CONFIRM_STATUSES, AdviceKind, AdviceStatus
from crm.advice.selectors.board import card_moves
from crm.advice.services.remortgage import completion_plan, existing_review
from crm.cases import kinds
from crm.cases.models import Case
from crm.core.types import StaffRequest

CONFIRM_TEMPLATE = "advice/case_move_confirm.html"


def status_label(value: Any) -> str:
    """Return a stage's label (the value itself if it is no advice stage)."""
    return (
        str(AdviceStatus(value).label) if value in AdviceStatus.values else str(value)
    )


def needs_confirmation(case: Case, status: str, data: QueryDict) -> bool:
    """Return True if moving ``case`` to ``status`` must be confirmed first.

    A move the table refuses is not confirmed: the service refuses it.
    """
    return (
        status in CONFIRM_STATUSES
        and data.get("confirm") != "yes"
        and status in card_moves(case.kind, case.status)
    )


def confirm_context(
    request: StaffRequest,
    case: Case,
    status: str,
    *,
    action: str,
    back: str,
    error: str = "",
    hidden: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the confirmation's context: the move, what it does, the form."""
    kind = kinds.get(case.kind)
    plan = None
    if case.kind == AdviceKind.MORTGAGE and status == AdviceStatus.COMPLETED:
        plan = completion_plan(firm=request.firm, case=case)
    return {
        "case": case,
        "status": status,
        "status_label": status_label(status),
        "reason_required": status in kind.reason_required,
        "reason": request.POST.get("reason", ""),
        "plan": plan,
        "action": action,
        "back": back,
        "error": error,
        "hidden": hidden or {},
    }


def confirm_response(
    request: StaffRequest, context: dict[str, Any], *, target: str = ""
) -> TemplateResponse:
    """Render the confirmation: a page, or (htmx) a fragment into ``target``."""
    if request.htmx and target:
        response = TemplateResponse(request, CONFIRM_TEMPLATE + "#confirm", context)
        return retarget(response, target)
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)


def moved_notice(request: StaffRequest, case: Case, status: str) -> str:
    """Return what a successful move says, naming a Remortgage case it opened."""
    notice = f"{case.reference} moved to {status_label(status)}."
    if case.kind == AdviceKind.MORTGAGE and status == AdviceStatus.COMPLETED:
        review = existing_review(firm=request.firm, case=case)
        if review is not None:
            notice += f" Remortgage case {review.reference} is open for the review."
    return notice
