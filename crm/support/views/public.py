"""The support module's public pages: the referral form and the scoring link.

Each is reached by a key in its address and runs as that link's own
principal, in its firm only (``crm.support.principals``), never as a member
who happens to be logged in on the same browser.
"""

from typing import cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from crm.core import principals
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.http import client_ip
from crm.core.policies import link_view
from crm.core.throttle import allow
from crm.support import selectors, services
from crm.support.forms_outcomes import ScoresForm
from crm.support.forms_referrals import ReferralPublicForm
from crm.support.principals import LinkPrincipal

# Referrals one address may send an hour; more are refused, with what was typed kept.
REFERRALS_PER_HOUR = 5
RATE_LIMITED = (
    "Too many referrals have been sent from this connection in the last hour. "
    "Nothing you typed is lost: please try again later, or phone us."
)


def _principal(request: HttpRequest) -> LinkPrincipal:
    return cast(LinkPrincipal, request.principal)  # type: ignore[attr-defined]  # set by link_view


@require_http_methods(["GET", "POST"])
@never_cache
@link_view(
    kind=principals.REFERRER,
    kwarg="key",
    reason="anyone may refer themselves or someone else to the charity",
)
def referral_form(request: HttpRequest, key: str) -> HttpResponse:
    """Take a referral (self or professional) for the firm whose form this is."""
    firm = _principal(request).firm
    pathways = list(selectors.pathway_choices(firm=firm))
    form = ReferralPublicForm(
        request.POST if request.method == "POST" else None, pathways=pathways
    )
    status = 200
    if form.is_bound:
        if form.is_spam:
            return redirect("support_links:referral_thanks", key=key)
        if not allow(
            "referral",
            client_ip(request) or "",
            limit=REFERRALS_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(None, RATE_LIMITED)
            status = 429
        elif form.is_valid():
            try:
                services.referral_submit(firm=firm, data=form.to_data())
            except (ApplicationError, ValidationError) as exc:
                apply_error(form, exc)
            else:
                return redirect("support_links:referral_thanks", key=key)
        if status == 200:
            status = 400
    context = {"form": form, "key": key}
    return TemplateResponse(
        request, "support/public/referral_form.html", context, status=status
    )


@require_GET
@link_view(
    kind=principals.REFERRER,
    kwarg="key",
    reason="the page a referrer sees after sending the form",
)
def referral_thanks(request: HttpRequest, key: str) -> HttpResponse:
    """Thank the referrer and say what happens next."""
    return TemplateResponse(
        request, "support/public/referral_thanks.html", {"key": key}
    )


@require_http_methods(["GET", "POST"])
@never_cache
@link_view(
    kind=principals.SCORING_LINK,
    kwarg="token",
    reason="a beneficiary gives their own scores with no account; the token is the key",
)
def score(request: HttpRequest, token: str) -> HttpResponse:
    """Let the beneficiary score themselves on the link's scale, once."""
    principal = _principal(request)
    link = principal.score_link
    assert link is not None  # noqa: S101 - the scoring-link resolver always sets it
    scale = selectors.scale_get(firm=principal.firm, scale_id=link.scale_id)
    form = ScoresForm(
        request.POST if request.method == "POST" else None, scale=scale, public=True
    )
    if form.is_bound and form.is_valid():
        try:
            services.score_link_submit(
                firm=principal.firm, link=link, values=form.values()
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            return TemplateResponse(
                request, "support/public/score_thanks.html", {"scale": scale}
            )
    context = {"form": form, "scale": scale, "link": link}
    status = 400 if form.is_bound else 200
    return TemplateResponse(
        request, "support/public/score.html", context, status=status
    )
