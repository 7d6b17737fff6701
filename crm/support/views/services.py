"""External services of a support case: link a CRM contact in a role, unlink (I6)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from crm.cases.models import Case
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.support import selectors, services
from crm.support.forms_sections import ServiceLinkForm
from crm.support.views.detail import refuse_if_closed


def _back(case: Case) -> str:
    return f"{case.get_absolute_url()}#external-services"


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def service_link(request: StaffRequest, case_id: int) -> HttpResponse:
    """Link a contact (any kind, organisations too) to the case in a role."""
    case = selectors.support_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    if request.method == "GET" and (refused := refuse_if_closed(request, case)):
        return refused
    form = ServiceLinkForm(
        request.POST if request.method == "POST" else None, firm=request.firm
    )
    if form.is_bound and form.is_valid():
        try:
            link = services.service_link(
                firm=request.firm, actor=request.user, case=case, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request, f"{link.contact.display_name} linked as {link.role}."
            )
            return redirect(_back(case))
    context = {"case": case, "form": form, "contact": form.selected_contact}
    return TemplateResponse(request, "support/service_link.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def service_unlink(request: StaffRequest, link_id: int) -> HttpResponse:
    """Ask to confirm (GET), then unlink an external service (POST)."""
    link = selectors.service_get(
        firm=request.firm, link_id=link_id, principal=request.principal
    )
    case = link.case
    if request.method == "GET":
        refused = refuse_if_closed(request, case)
        context = {"case": case, "link": link}
        return refused or TemplateResponse(
            request, "support/service_unlink.html", context
        )
    try:
        services.service_unlink(firm=request.firm, actor=request.user, link=link)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, f"{link.contact.display_name} unlinked.")
    return redirect(_back(case))
