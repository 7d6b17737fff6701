"""Firm details settings (A5)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms import services
from crm.firms.choices import Perm, Role
from crm.firms.forms import FirmForm


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def firm_edit(request: StaffRequest) -> HttpResponse:
    """Change the firm's name, branding, references and modules."""
    form = FirmForm(
        request.POST or None,
        initial=FirmForm.initial_for(request.firm),
        is_owner=request.membership.role == Role.OWNER,
        has_support=request.firm.has_support,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.firm_update(
                firm=request.firm,
                actor=request.user,
                membership=request.membership,
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Firm details saved.")
            return redirect("firms:firm_edit")
    return TemplateResponse(request, "firms/firm_edit.html", {"form": form})
