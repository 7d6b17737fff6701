"""Safeguarding pages (SPEC I14): the log of views of High and Urgent cases."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.support import selectors

PER_PAGE = 50


@require_GET
@staff_view(perm=Perm.MANAGE_MEMBERS, module="support")
def case_view_list(request: StaffRequest) -> TemplateResponse:
    """List who opened High and Urgent cases and when, newest first (I14)."""
    page = paginate(
        selectors.case_view_list(firm=request.firm),
        params=request.GET,
        per_page=PER_PAGE,
    )
    return TemplateResponse(request, "support/case_view_list.html", {"page": page})
