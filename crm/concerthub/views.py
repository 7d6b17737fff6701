"""Concert Hub pages: Send, amend, send again, the Submissions list, settings.

Sends and amendments answer with a redirect to the case's Concert Hub card
and a message; the card polls its own URL while a submission is in flight,
so the status turns to Received (or Rejected) without a reload.
"""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.advice.readiness import case_readiness
from crm.cases.models import Case
from crm.concerthub import network as network_services
from crm.concerthub import registry, selectors, services, troubleshoot
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.forms import AdviserUidForm, AmendForm, NetworkFirmForm
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.protection.selectors import protection_case_get

CARD = "concert-hub"


def _case(request: StaffRequest, case_id: int) -> Case:
    return protection_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )


def _back(case: Case, anchor: str = CARD) -> HttpResponse:
    return redirect(f"{case.get_absolute_url()}#{anchor}")


@require_POST
@staff_view(perm=Perm.SUBMIT_CONCERT_HUB, module="advice")
def send(request: StaffRequest, case_id: int) -> HttpResponse:
    """Send the case to Concert Hub, or say what stops it (G4)."""
    case = _case(request, case_id)
    try:
        submission = services.submission_send(
            firm=request.firm, actor=request.user, case=case
        )
    except services.NotReady as exc:
        messages.error(request, exc.message)
        return _back(case, "readiness")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(case)
    verb = "Amendment sent" if submission.previous_id else "Sent"
    messages.success(
        request,
        f"{verb} to Concert Hub: submission {submission.number} is queued. "
        "Its status below changes when Concert Hub answers.",
    )
    return _back(case)


@require_GET
@staff_view(module="advice")
def case_section(request: StaffRequest, case_id: int) -> HttpResponse:
    """Return the case's Concert Hub card (polled while a submission is in flight)."""
    case = _case(request, case_id)
    context = registry.section_context(
        firm=request.firm, case=case, contact=None, principal=request.principal
    )
    context |= {
        "case": case,
        "blockers": case_readiness(firm=request.firm, case=case),
    }
    return TemplateResponse(request, registry.SECTION_TEMPLATE, context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.SUBMIT_CONCERT_HUB, module="advice")
def amend(request: StaffRequest, case_id: int) -> HttpResponse:
    """Ask why, then unlock a received submission's data for an amendment (G4)."""
    case = _case(request, case_id)
    current = selectors.latest_submission(firm=request.firm, case=case)
    form = AmendForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.amendment_start(
                firm=request.firm,
                actor=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                "Amendment started: change what needs changing, then Send the "
                "amendment from the Concert Hub card.",
            )
            return _back(case)
    context = {"case": case, "form": form, "current": current}
    return TemplateResponse(request, "concerthub/amend.html", context)


@require_POST
@staff_view(perm=Perm.SUBMIT_CONCERT_HUB, module="advice")
def amend_cancel(request: StaffRequest, case_id: int) -> HttpResponse:
    """Drop an amendment not yet sent (G4)."""
    case = _case(request, case_id)
    try:
        services.amendment_cancel(firm=request.firm, actor=request.user, case=case)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Amendment cancelled: the case is locked again.")
    return _back(case)


@require_POST
@staff_view(perm=Perm.SUBMIT_CONCERT_HUB, module="advice")
def redrive(request: StaffRequest, submission_id: int) -> HttpResponse:
    """Send a failed submission again with its own key (G5)."""
    submission = selectors.submission_get(
        firm=request.firm, submission_id=submission_id, principal=request.principal
    )
    try:
        services.submission_redrive(
            firm=request.firm, actor=request.user, submission=submission
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Submission {submission.number} is queued again.")
    return _back(submission.case)


@require_GET
@staff_view(module="advice")
def submission_detail(request: StaffRequest, submission_id: int) -> HttpResponse:
    """Show what one submission sent, every attempt, and the partner's errors."""
    submission = selectors.submission_get(
        firm=request.firm, submission_id=submission_id, principal=request.principal
    )
    context = {
        "submission": submission,
        "payload_json": json.dumps(submission.payload, indent=2, ensure_ascii=False),
        "case": submission.case,
        "fixes": troubleshoot.fixes(
            case=submission.case, refs=submission.refs, errors=submission.errors
        ),
    }
    return TemplateResponse(request, "concerthub/submission_detail.html", context)


@require_GET
@staff_view(module="advice")
def submission_list(request: StaffRequest) -> HttpResponse:
    """The firm's submissions: by default those that need attention (G6)."""
    view = request.GET.get("view", "attention")
    if view not in selectors.VIEWS:
        view = "attention"
    page = selectors.submission_page(
        firm=request.firm,
        principal=request.principal,
        view=view,
        page=request.GET.get("page", 1),
    )
    context = {
        "page_obj": page,
        "view": view,
        "views": [
            ("attention", "Needs attention"),
            ("in_flight", "Being sent"),
            ("received", "Received"),
            ("all", "All"),
        ],
        "statuses": SubmissionStatus,
    }
    return TemplateResponse(request, "concerthub/submission_list.html", context)


def _network_page(
    request: StaffRequest,
    *,
    firm_form: NetworkFirmForm | None = None,
    bound: tuple[int, AdviserUidForm] | None = None,
) -> TemplateResponse:
    network = selectors.network_firm_get(firm=request.firm)
    rows = []
    for row in selectors.network_members(firm=request.firm):
        if bound and bound[0] == row.member.pk:
            form = bound[1]
        else:
            form = AdviserUidForm(
                initial={"uid": row.adviser.adviser_uid if row.adviser else ""},
                auto_id=f"adviser{row.member.pk}_%s",
            )
        rows.append((row, form))
    context = {
        "network": network,
        "firm_form": firm_form
        or NetworkFirmForm(
            initial={"firm_id": network.network_firm_id if network else ""}
        ),
        "rows": rows,
    }
    return TemplateResponse(request, "concerthub/network.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM, module="advice")
def network(request: StaffRequest) -> HttpResponse:
    """Settings > Concert Hub: the firm's Firm ID and the advisers' UIDs (G4)."""
    if request.method != "POST":
        return _network_page(request)
    form = NetworkFirmForm(request.POST)
    if form.is_valid():
        try:
            saved = network_services.network_firm_set(
                firm=request.firm,
                actor=request.user,
                value=form.cleaned_data["firm_id"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                f"Firm ID {saved} saved: Concert Hub knows it as "
                f"{saved.partner_name or 'this firm'}.",
            )
            return redirect("concerthub:network")
    return _network_page(request, firm_form=form)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM, module="advice")
def network_adviser(request: StaffRequest, membership_id: int) -> HttpResponse:
    """Save one member's Adviser UID once Concert Hub confirms it (G4)."""
    member = selectors.member_get(firm=request.firm, membership_id=membership_id)
    form = AdviserUidForm(request.POST, auto_id=f"adviser{member.pk}_%s")
    if form.is_valid():
        try:
            saved = network_services.network_adviser_set(
                firm=request.firm,
                actor=request.user,
                member=member,
                value=form.cleaned_data["uid"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            name = member.user.full_name or member.user.email
            text = (
                f"Adviser UID {saved} saved for {name}."
                if saved
                else (f"Adviser UID removed for {name}.")
            )
            messages.success(request, text)
            return redirect(f"{reverse('concerthub:network')}#adviser-{member.user_id}")
    return _network_page(request, bound=(member.pk, form))
