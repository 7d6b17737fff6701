"""The partner's page of a referral out: accept, decline, post updates (I12).

Reached by the token in the e-mailed link, it runs as the link's own
principal in its firm only, and shows only what the charity chose to share
(a name, the need, a message) and what the partner has sent.
"""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from crm.core import principals
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import LINK_PROBLEM_TEMPLATE, link_view
from crm.support import selectors, services
from crm.support.choices import PartnerAction
from crm.support.forms_referrals_out import PartnerForm
from crm.support.principals import LinkPrincipal
from crm.support.services.referrals_out import STALE

DONE = {
    PartnerAction.ACCEPT: "Thank you: you accepted the referral. {firm} has been told.",
    PartnerAction.DECLINE: "You declined the referral. {firm} has been told.",
    PartnerAction.UPDATE: "Thank you: your update was sent to {firm}.",
}


@require_http_methods(["GET", "POST"])
@never_cache
@link_view(
    kind=principals.PARTNER_LINK,
    kwarg="token",
    reason="a partner answers a referral with no account; the token is the key",
)
def partner(request: HttpRequest, token: str) -> HttpResponse:
    """Show the referral to the partner and take their answer or update."""
    principal = cast(LinkPrincipal, request.principal)  # type: ignore[attr-defined]  # set by link_view
    firm, referral = principal.firm, principal.referral_out
    assert referral is not None  # noqa: S101 - the partner-link resolver always sets it
    form = PartnerForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                services.referral_out_respond(
                    firm=firm,
                    referral=referral,
                    action=action,
                    key=form.cleaned_data["key"],
                    text=form.cleaned_data["text"],
                )
            except (ApplicationError, ValidationError) as exc:
                code = getattr(exc, "code", "")
                if code == "link_closed":
                    context = {"message": getattr(exc, "message", str(exc))}
                    return TemplateResponse(
                        request, LINK_PROBLEM_TEMPLATE, context, status=410
                    )
                status = 409 if code == "stale" else 400
                apply_error(form, exc)
            else:
                messages.success(request, DONE[action].format(firm=firm.name))
                return redirect("support_links:partner", token=token)
        elif "action" in form.errors or "key" in form.errors:
            status = 409
            form.add_error(None, STALE)
    context = {
        "referral": referral,
        "updates": selectors.partner_updates(firm=firm, referral=referral),
        "form": form,
        "typed": form.data.get("text", "") if form.is_bound else "",
        "typed_action": form.data.get("action", "") if form.is_bound else "",
    }
    return TemplateResponse(
        request, "support/public/partner.html", context, status=status
    )
