"""The dashboard."""

from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from crm.core import policies
from crm.core.permissions import PLAIN_WORDS
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


def _what_you_can_do(request: StaffRequest) -> list[str]:
    """Return, in plain words, what the member's permissions let them do here."""
    firm, membership = request.firm, request.membership
    usable = policies.usable_perms(firm)
    held = [
        perm
        for perm in Perm.values
        if perm in usable
        and membership.has_perm(perm)
        and (firm.has_advice or perm not in ADVICE_ONLY_PERMS)
    ]
    if Perm.VIEW_ALL_CASES in held and Perm.VIEW_OWN_CASES in held:
        held.remove(Perm.VIEW_OWN_CASES)
    return [str(PLAIN_WORDS[perm]) for perm in held]


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
            "permission_labels": _what_you_can_do(request),
        },
    )
