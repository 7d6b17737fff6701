"""The example kind's one page."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from crm.cases import selectors as case_selectors
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from tests.example_kind.registry import GRANT


@require_GET
@staff_view()
def grant_detail(request: StaffRequest, case_id: int) -> TemplateResponse:
    """Show a grant application (404 for another firm's or another kind's case)."""
    case = case_selectors.case_get(
        firm=request.firm, case_id=case_id, principal=request.principal, kinds=(GRANT,)
    )
    return TemplateResponse(request, "example_kind/grant_detail.html", {"case": case})
