"""Refer a beneficiary to an external service, with consent to share (I12)."""

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
from crm.firms.choices import Perm
from crm.support import selectors, services
from crm.support.choices import ItemKind
from crm.support.forms_referrals_out import ReferOutForm
from crm.support.services.cases import beneficiary_of
from crm.support.views.detail import refuse_if_closed


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def referral_out_create(request: StaffRequest, link_id: int) -> HttpResponse:
    """Record consent and refer the beneficiary to a linked external service."""
    service = selectors.service_get(
        firm=request.firm, link_id=link_id, principal=request.principal
    )
    case = service.case
    if request.method == "GET" and (refused := refuse_if_closed(request, case)):
        return refused
    needs = selectors.items_of(firm=request.firm, case=case, kind=ItemKind.NEED)
    initial = {
        "shared_name": beneficiary_of(case).display_name,
        "shared_need": "\n".join(n.text for n in needs),
        "consent_taken_by": request.user.pk,
    }
    form = ReferOutForm(
        request.POST if request.method == "POST" else None,
        firm=request.firm,
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        try:
            services.referral_out_create(
                firm=request.firm,
                actor=request.user,
                service=service,
                data=form.to_data(),
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                f"Referral sent to {service.contact.display_name} "
                f"({service.contact.email}).",
            )
            return redirect(f"{case.get_absolute_url()}#referrals-out")
    context = {"case": case, "service": service, "form": form}
    status = 400 if form.is_bound else 200
    return TemplateResponse(
        request, "support/referral_out_form.html", context, status=status
    )
