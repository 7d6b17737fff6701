"""The client's pages: login, invitation, home, actions, uploads, consent (H1-H4).

Every page here is a ``portal_view`` (or the public login and invitation
pages); reads go through the portal selectors with ``client=``, so a client
only ever reaches their own cases and actions.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.core.exceptions import ApplicationError
from crm.core.http import client_ip
from crm.core.policies import portal_view, public_view
from crm.portal import selectors
from crm.portal.forms import (
    ConsentForm,
    LoginForm,
    SetPasswordForm,
    UploadForm,
)
from crm.portal.principals import ClientPrincipal, session_login, session_logout
from crm.portal.services import accounts, client
from crm.portal.views.pages import action_context, case_context, home_context


def _client(request: HttpRequest) -> ClientPrincipal:
    principal: ClientPrincipal = request.principal  # type: ignore[attr-defined]  # portal_view checked it
    return principal


@public_view(reason="the portal's login page")
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password")
@never_cache
def login(request: HttpRequest) -> HttpResponseBase:
    """Log a client in with e-mail and password (rate-limited per address)."""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = accounts.account_login(**form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            session_login(request.session, account)
            return redirect("portal:home")
    return TemplateResponse(request, "portal/login.html", {"form": form})


@require_POST
@portal_view
def logout(request: HttpRequest) -> HttpResponse:
    """Log the client out and return to the portal's login page."""
    session_logout(request.session)
    messages.info(request, "You have logged out.")
    return redirect("portal:login")


@public_view(reason="an invited client sets their password before they can log in")
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password1", "password2")
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponseBase:
    """Let an invited client set a password; a bad link gets a clear 404/410."""
    invitation = selectors.invitation_for_token(token)
    problem = accounts.invitation_problem(invitation)
    if problem is not None or invitation is None:
        return _problem(request, problem or "invalid")
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = accounts.invitation_accept(token=token, **form.cleaned_data)
        except ApplicationError as exc:
            if exc.code in accounts.PROBLEM_MESSAGES:
                return _problem(request, exc.code)
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            session_login(request.session, account)
            messages.success(
                request, f"Welcome to {account.firm.name}'s client portal."
            )
            return redirect("portal:home")
    context = {"form": form, "invitation": invitation, "portal_firm": invitation.firm}
    return TemplateResponse(request, "portal/invitation_accept.html", context)


def _problem(request: HttpRequest, problem: str) -> TemplateResponse:
    context = {"problem": problem, "message": accounts.PROBLEM_MESSAGES[problem]}
    return TemplateResponse(
        request,
        "portal/invitation_problem.html",
        context,
        status=404 if problem == "invalid" else 410,
    )


@require_GET
@portal_view
def home(request: HttpRequest) -> TemplateResponse:
    """Show the client's cases with their progress and what is still needed."""
    principal = _client(request)
    context = home_context(firm=principal.firm, client=principal.contact)
    context["menu"] = "home"
    return TemplateResponse(request, "portal/home.html", context)


@require_GET
@portal_view
def action_list(request: HttpRequest) -> TemplateResponse:
    """List everything the adviser asked of the client, open first."""
    principal = _client(request)
    actions = selectors.portal_action_list(
        firm=principal.firm, client=principal.contact
    )
    context = {"actions": actions, "menu": "actions"}
    return TemplateResponse(request, "portal/action_list.html", context)


@require_GET
@portal_view
def case_detail(request: HttpRequest, case_id: int) -> TemplateResponse:
    """Show one of the client's cases: its tracker and the client's actions."""
    principal = _client(request)
    context = case_context(
        firm=principal.firm, client=principal.contact, case_id=case_id
    )
    return TemplateResponse(request, "portal/case_detail.html", context)


def _action_page(
    request: HttpRequest, action_id: int, **forms: Any
) -> TemplateResponse:
    principal = _client(request)
    context = action_context(
        firm=principal.firm, client=principal.contact, action_id=action_id, **forms
    )
    status = 400 if any(f.errors for f in forms.values()) else 200
    return TemplateResponse(
        request, "portal/action_detail.html", context, status=status
    )


@require_GET
@portal_view
def action_detail(request: HttpRequest, action_id: int) -> TemplateResponse:
    """Show one action: the upload form, the consent text or its status."""
    return _action_page(request, action_id)


@require_POST
@portal_view
def action_upload(request: HttpRequest, action_id: int) -> HttpResponse:
    """Take the client's files for an upload action (identity, statements)."""
    principal = _client(request)
    action = selectors.portal_action_get(
        firm=principal.firm, client=principal.contact, action_id=action_id
    )
    form = UploadForm(request.POST, request.FILES, action=action)
    if form.is_valid():
        try:
            client.action_upload(
                account=principal.account, action=action, files=form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            messages.success(
                request, "Thank you. Your adviser will check your documents."
            )
            return redirect("portal:action_detail", action_id=action.pk)
    return _action_page(request, action_id, upload_form=form)


@require_POST
@portal_view
def consent_confirm(request: HttpRequest, action_id: int) -> HttpResponse:
    """Record the client's credit consent with the text version and their IP."""
    principal = _client(request)
    action = selectors.portal_action_get(
        firm=principal.firm, client=principal.contact, action_id=action_id
    )
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            client.consent_confirm(
                account=principal.account,
                action=action,
                version=form.cleaned_data["version"],
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Thank you. Your credit consent is recorded.")
            return redirect("portal:action_detail", action_id=action.pk)
    return _action_page(request, action_id, consent_form=form)
