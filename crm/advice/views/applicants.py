"""A case's joint applicant: add one from the firm's clients, or remove one.

Both go through the kernel's services (``case_applicant_add`` and
``case_applicant_remove``), as the API does, so the same rules hold: at most
two clients, the same client never twice, the main applicant stays.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from crm.advice import selectors
from crm.advice.factfind import selectors as ff_selectors
from crm.cases import services as case_services
from crm.cases.models import Case
from crm.contacts import selectors as contact_selectors
from crm.core.exceptions import ApplicationError
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm


def _case(request: StaffRequest, case_id: int) -> Case:
    return selectors.advice_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )


def _error(exc: ApplicationError | ValidationError) -> str:
    return exc.message if isinstance(exc, ApplicationError) else exc.messages[0]


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def case_applicant_add(request: StaffRequest, case_id: int) -> HttpResponse:
    """Pick one of the firm's clients and add them as the case's joint applicant."""
    case = _case(request, case_id)
    error, selected = "", None
    if request.method == "POST":
        raw = request.POST.get("contact", "")
        selected = contact_selectors.person_picked(firm=request.firm, raw=raw)
        if selected is None:
            error = "Search for the client and choose one."
        else:
            try:
                case_services.case_applicant_add(
                    firm=request.firm, actor=request.user, case=case, contact=selected
                )
            except (ApplicationError, ValidationError) as exc:
                error = _error(exc)
            else:
                messages.success(
                    request, f"{selected.display_name} added as joint applicant."
                )
                return redirect(case)
    context = {
        "case": case,
        "applicants": list(case.applicants.all()),
        "selected": selected,
        "error": error,
    }
    status = 400 if error else 200
    return TemplateResponse(
        request, "advice/case_applicant_add.html", context, status=status
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def case_applicant_remove(request: StaffRequest, applicant_id: int) -> HttpResponse:
    """Ask, then take the joint applicant off the case (the main one stays)."""
    applicant = ff_selectors.applicant_get(
        firm=request.firm, applicant_id=applicant_id, principal=request.principal
    )
    case, contact = applicant.case, applicant.contact
    error = ""
    if request.method == "POST":
        try:
            case_services.case_applicant_remove(
                firm=request.firm, actor=request.user, case=case, contact=contact
            )
        except (ApplicationError, ValidationError) as exc:
            error = _error(exc)
        else:
            messages.success(
                request, f"{contact.display_name} removed from {case.reference}."
            )
            return redirect(case)
    return TemplateResponse(
        request,
        "advice/case_applicant_remove.html",
        {"case": case, "contact": contact, "applicant": applicant, "error": error},
        status=409 if error else 200,
    )
