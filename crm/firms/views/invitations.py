"""Accepting an invitation (public, by token) and managing pending ones."""

from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import public_view, staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors, services
from crm.firms.choices import Perm
from crm.firms.forms import AcceptInvitationForm, InviteForm
from crm.firms.selectors import mfa as mfa_selectors
from crm.firms.services.invitations import (
    PROBLEM_MESSAGES,
    invitation_account_exists,
    invitation_problem,
)
from crm.firms.views import signin


@public_view(reason="the invited person has no account yet; the token is the key")
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password1", "password2")
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponseBase:
    """Show the invitation and accept it by POST after a password is set (A6)."""
    invitation = selectors.invitation_get_by_token(token=token)
    problem = invitation_problem(invitation)
    if problem is not None or invitation is None:
        return TemplateResponse(
            request,
            "firms/invitation_problem.html",
            {"problem": problem, "message": PROBLEM_MESSAGES[problem or "invalid"]},
            status=410 if problem in ("used", "revoked", "expired") else 404,
        )
    existing = invitation_account_exists(invitation)
    form = AcceptInvitationForm(request.POST or None, existing_account=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # An existing account's password is checked by authenticate(), so the
        # sign-in lockout and slowdown count it like any other sign-in.
        account = (
            authenticate(request, username=invitation.email, password=data["password1"])
            if existing
            else None
        )
        try:
            membership = services.invitation_accept(
                token=token,
                password=data["password1"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                account=account,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Welcome to {membership.firm.name}.")
            if mfa_selectors.two_factor_enabled(user=membership.user):
                # An existing account with a second factor still owes its code.
                signin.begin_second_step(
                    request,
                    membership.user,
                    next_url=str(reverse("reports:dashboard")),
                    firm_id=membership.firm_id,
                )
                return redirect("firms:login_code")
            signin.complete(request, membership.user, membership.firm)
            return redirect("reports:dashboard")
    return TemplateResponse(
        request,
        "firms/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing_account": existing},
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_MEMBERS)
def member_invite(request: StaffRequest) -> HttpResponse:
    """Invite someone by e-mail to join the firm."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                firm=request.firm,
                actor=request.user,
                actor_membership=request.membership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("firms:member_list")
    return TemplateResponse(request, "firms/member_invite.html", {"form": form})


@require_POST
@staff_view(perm=Perm.MANAGE_MEMBERS)
def invitation_resend(request: StaffRequest, invitation_id: int) -> HttpResponse:
    """Send a fresh link for a pending invitation."""
    invitation = selectors.invitation_get(
        firm=request.firm, invitation_id=invitation_id
    )
    try:
        services.invitation_resend(
            firm=request.firm,
            actor=request.user,
            actor_membership=request.membership,
            invitation=invitation,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"A new link was sent to {invitation.email}.")
    return redirect("firms:member_list")


@require_POST
@staff_view(perm=Perm.MANAGE_MEMBERS)
def invitation_revoke(request: StaffRequest, invitation_id: int) -> HttpResponse:
    """Withdraw a pending invitation."""
    invitation = selectors.invitation_get(
        firm=request.firm, invitation_id=invitation_id
    )
    try:
        services.invitation_revoke(
            firm=request.firm,
            actor=request.user,
            actor_membership=request.membership,
            invitation=invitation,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"The invitation to {invitation.email} was withdrawn."
        )
    return redirect("firms:member_list")
