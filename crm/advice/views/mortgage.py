"""Editing a mortgage case's details (SPEC G8)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from crm.advice import selectors, services
from crm.advice.choices import AdviceKind
from crm.advice.forms import MortgageForm
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def mortgage_edit(request: StaffRequest, case_id: int) -> HttpResponse:
    """Change a mortgage case's details; other kinds have none (404)."""
    case = selectors.advice_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    if case.kind != AdviceKind.MORTGAGE:
        raise Http404
    details = getattr(case, "mortgage", None)
    form = MortgageForm(
        request.POST if request.method == "POST" else None,
        initial=MortgageForm.initial_for(details),
    )
    if form.is_bound and form.is_valid():
        try:
            services.mortgage_update(
                firm=request.firm, actor=request.user, case=case, data=form.to_data()
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Mortgage details saved.")
            return redirect(case)
    context = {"case": case, "form": form, "mortgage": details}
    return TemplateResponse(request, "advice/mortgage_edit.html", context)
