"""The dashboard."""

from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import ADVICE_ONLY_PERMS, Perm
from crm.reports import selectors


def _greeting() -> str:
    hour = timezone.localtime().hour
    if hour < 12:
        return "Good morning"
    if hour < 18:
        return "Good afternoon"
    return "Good evening"


@require_GET
@staff_view()
def dashboard(request: StaffRequest) -> TemplateResponse:
    """Greet the member: follow-ups, tasks, pipeline, and the firm's set-up (L1)."""
    summary = selectors.dashboard_summary(firm=request.firm)
    dashboard = selectors.dashboard_for_member(
        firm=request.firm,
        user=request.user,
        principal=request.principal,
        today=timezone.localdate(),
    )
    return TemplateResponse(
        request,
        "reports/dashboard.html",
        {
            **dashboard.context,
            "dashboard": dashboard,
            "greeting": _greeting(),
            "today": timezone.localdate(),
            "can_manage": request.membership.has_perm(Perm.MANAGE_FIRM)
            or request.membership.has_perm(Perm.MANAGE_MEMBERS),
            "summary": summary,
            "permission_labels": [
                label
                for value, label in Perm.choices
                if request.membership.has_perm(value)
                and (request.firm.has_advice or value not in ADVICE_ONLY_PERMS)
            ],
        },
    )
