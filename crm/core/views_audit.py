"""The Audit log page (A7)."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from crm.core import selectors
from crm.core.filters import AuditFilterSet
from crm.core.listing import Column, ListSpec, list_context
from crm.core.pagination import paginate
from crm.core.permissions import Perm
from crm.core.policies import staff_view
from crm.core.types import StaffRequest

PER_PAGE = 50

AUDIT_LOG = ListSpec(
    id="audit",
    title="Audit log",
    caption="Audit events, newest first",
    filter_label="Filter audit events",
    no_match="No audit events match",
    columns=(
        Column("When", template="core/audit_log.html#when", classes="nowrap"),
        Column("Who", attr="actor.full_name", default="System"),
        Column("Action", attr="get_verb_display"),
        Column("Record", template="core/audit_log.html#record"),
        Column("Changes", template="core/audit_log.html#changes"),
        Column("IP address", attr="ip_address", default="—"),
    ),
    empty_template="core/audit_log.html#empty",
)


@require_GET
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.VIEW_AUDIT_LOG)
def audit_log(request: StaffRequest) -> TemplateResponse:
    """Show the firm's audit events with filters, newest first (A7)."""
    filterset = AuditFilterSet(request.GET or None, firm=request.firm)
    events = selectors.audit_event_list(
        firm=request.firm, **filterset.query().as_kwargs()
    )
    page = paginate(events, params=request.GET, per_page=PER_PAGE)
    context = list_context(request.GET, spec=AUDIT_LOG, filterset=filterset, page=page)
    template = "core/audit_log.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)
