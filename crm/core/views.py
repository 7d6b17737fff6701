"""Audit log and dev mailbox pages."""

from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from crm.core import principals, selectors
from crm.core.forms import AuditFilterForm
from crm.core.pagination import paginate
from crm.core.permissions import Perm
from crm.core.policies import staff_view
from crm.core.types import StaffRequest


@require_GET
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.VIEW_AUDIT_LOG)
def audit_log(request: StaffRequest) -> TemplateResponse:
    """Show the firm's audit events with filters, newest first (A7)."""
    form = AuditFilterForm(
        request.GET or None,
        actors=principals.member_choices(firm=request.firm),
        object_types=selectors.audit_object_types(),
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.audit_event_list(
        firm=request.firm,
        actor_id=filters.get("actor"),
        object_type=filters.get("object_type", ""),
        verb=filters.get("verb", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = paginate(events, params=request.GET, per_page=50)
    template = "core/audit_log.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, {"form": form, "page": page})


def _require_mailbox() -> None:
    if not settings.DEV_MAILBOX:
        raise Http404


@require_GET
@staff_view()
def mailbox_list(request: StaffRequest) -> TemplateResponse:
    """List e-mail the member may read (development only, K4)."""
    _require_mailbox()
    page = paginate(
        selectors.mail_list(principal=request.principal),
        params=request.GET,
        per_page=30,
    )
    return TemplateResponse(request, "core/mailbox_list.html", {"page": page})


@require_GET
@staff_view()
def mailbox_detail(request: StaffRequest, mail_id: int) -> TemplateResponse:
    """Show one sent message with its links clickable (development only)."""
    _require_mailbox()
    mail = selectors.mail_get(principal=request.principal, mail_id=mail_id)
    return TemplateResponse(request, "core/mailbox_detail.html", {"mail": mail})
