"""The dev mailbox pages (the Audit log is in ``views_audit``)."""

from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from crm.core import selectors
from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest


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
