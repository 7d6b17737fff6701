"""Staff pages of the action log: invite, remind, cancel, review, preview (E8, H2).

Each takes the action log permission; the case page's action log section and
the wizard's invite step post here.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from crm.cases.models import Case
from crm.core.exceptions import ApplicationError
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.portal import selectors
from crm.portal.forms import ReviewForm, wanted_actions
from crm.portal.services import actions
from crm.portal.views.pages import home_context


@require_POST
@staff_view(perm=Perm.ACTION_LOG, module="advice")
def clients_invite(request: StaffRequest, case_id: int) -> HttpResponse:
    """Request the ticked actions from the case's clients and e-mail them."""
    case = selectors.invite_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    contact_ids = [a.contact_id for a in case.applicants.all()]
    try:
        sent = actions.clients_invite(
            firm=request.firm,
            actor=request.user,
            principal=request.principal,
            case=case,
            wanted=wanted_actions(request.POST, contact_ids),
        )
    except (ApplicationError, ValidationError) as exc:
        text = (
            exc.message if isinstance(exc, ApplicationError) else " ".join(exc.messages)
        )
        messages.error(request, text)
        if request.POST.get("from") == "wizard":
            return redirect("advice:wizard_done", case_id=case.pk)
        return redirect(case)
    names = ", ".join(f"{c} ({c.email})" for c, _ in sent)
    messages.success(request, f"Invitation sent to {names}.")
    return redirect(case)


def _action_done(request: StaffRequest, text: str, case: Case) -> HttpResponse:
    messages.success(request, text)
    return redirect(case)


@require_POST
@staff_view(perm=Perm.ACTION_LOG, module="advice")
def action_remind(request: StaffRequest, action_id: int) -> HttpResponse:
    """E-mail the client a reminder of one open action."""
    action = selectors.action_get(
        firm=request.firm, action_id=action_id, principal=request.principal
    )
    try:
        actions.action_remind(
            firm=request.firm,
            actor=request.user,
            principal=request.principal,
            action=action,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(action.case)
    return _action_done(
        request, f"Reminder sent to {action.contact.email}.", action.case
    )


@require_POST
@staff_view(perm=Perm.ACTION_LOG, module="advice")
def action_cancel(request: StaffRequest, action_id: int) -> HttpResponse:
    """Cancel one open action."""
    action = selectors.action_get(
        firm=request.firm, action_id=action_id, principal=request.principal
    )
    try:
        actions.action_cancel(
            firm=request.firm,
            actor=request.user,
            principal=request.principal,
            action=action,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(action.case)
    return _action_done(
        request,
        f"{action.get_kind_display()} cancelled for {action.contact}.",
        action.case,
    )


@require_POST
@staff_view(perm=Perm.ACTION_LOG, module="advice")
def action_review(request: StaffRequest, action_id: int) -> HttpResponse:
    """Approve a client's uploads, or reject them with a reason they will see."""
    action = selectors.action_get(
        firm=request.firm, action_id=action_id, principal=request.principal
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Approve or Reject.")
        return redirect(action.case)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        actions.action_review(
            firm=request.firm,
            actor=request.user,
            principal=request.principal,
            action=action,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(action.case)
    verdict = "approved" if approve else "rejected"
    return _action_done(
        request,
        f"{action.get_kind_display()} {verdict} for {action.contact}.",
        action.case,
    )


@require_GET
@staff_view(perm=Perm.ACTION_LOG, module="advice")
def client_preview(request: StaffRequest, contact_id: int) -> TemplateResponse:
    """Show, read-only, the portal home page as this client sees it."""
    contact = selectors.preview_client_get(
        firm=request.firm, contact_id=contact_id, principal=request.principal
    )
    context = {
        **home_context(firm=request.firm, client=contact),
        "preview": True,
        "portal_firm": request.firm,
    }
    return TemplateResponse(request, "portal/home.html", context)
