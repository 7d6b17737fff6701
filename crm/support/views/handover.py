"""A support case's handover summary: one printable page from its records (I15)."""

from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.support import selectors
from crm.support.services.cases import beneficiary_of
from crm.support.views.detail import can_edit


@require_GET
@staff_view(module="support")
def case_handover(request: StaffRequest, case_id: int) -> TemplateResponse:
    """Show the case's handover summary, each line linked to its record."""
    case = selectors.support_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    context = {
        "case": case,
        "details": case.support,
        "beneficiary": beneficiary_of(case),
        "editable": can_edit(request) and case.is_open,
        "generated_at": timezone.now(),
        **selectors.handover_summary(firm=request.firm, case=case),
    }
    return TemplateResponse(request, "support/case_handover.html", context)
