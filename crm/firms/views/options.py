"""The ``<option>`` lists behind the introducer → branch → negotiator selects.

The lead form and the New Case wizard both load them with htmx. Reading the
names of the firm's introducer branches and negotiators is harmless: any
member of a firm with the advice module may (no extra permission); the forms
that post them check their own permissions, and the services check the chain.
"""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from crm.core.http import parse_id
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors

OPTIONS_TEMPLATE = "firms/_options.html"


@require_GET
@staff_view(module="advice")
def introducer_branch_options(request: StaffRequest) -> TemplateResponse:
    """Return ``<option>``s of an introducer's branches; reset the negotiators."""
    introducer_id = parse_id(request.GET.get("introducer"))
    choices = (
        selectors.introducer_branch_choices(
            firm=request.firm, introducer_id=introducer_id
        )
        if introducer_id
        else []
    )
    context = {"choices": choices, "reset_negotiators": True}
    return TemplateResponse(request, OPTIONS_TEMPLATE, context)


@require_GET
@staff_view(module="advice")
def negotiator_options(request: StaffRequest) -> TemplateResponse:
    """Return ``<option>``s of the negotiators at an introducer branch."""
    branch_id = parse_id(request.GET.get("introducer_branch"))
    choices = (
        selectors.negotiator_choices(firm=request.firm, introducer_branch_id=branch_id)
        if branch_id
        else []
    )
    return TemplateResponse(request, OPTIONS_TEMPLATE, {"choices": choices})
