"""A support case's whole interaction history, page by page (I7)."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.support import selectors

PER_PAGE = 25


@require_GET
@staff_view(module="support")
def case_interactions(request: StaffRequest, case_id: int) -> TemplateResponse:
    """List every interaction and touchpoint on the case, newest first."""
    case = selectors.support_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    interactions = selectors.case_interactions(firm=request.firm, case=case)
    context = {
        "case": case,
        "page": paginate(interactions, params=request.GET, per_page=PER_PAGE),
    }
    return TemplateResponse(request, "support/case_interactions.html", context)
