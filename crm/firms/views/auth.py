"""Login, logout, password reset and change, firm switching (SPEC A3)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from crm.core import throttle
from crm.core.http import client_ip, safe_next_url
from crm.core.middleware import SESSION_FIRM_KEY
from crm.core.policies import public_view, staff_view
from crm.core.types import StaffRequest
from crm.firms import services
from crm.firms.forms import LoginForm
from crm.firms.selectors import auth as auth_selectors
from crm.firms.selectors import mfa as mfa_selectors
from crm.firms.views import signin


def _next_url(request: HttpRequest) -> str:
    return safe_next_url(request) or str(reverse_lazy("reports:dashboard"))


@public_view(reason="the login page")
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponseBase:
    """Log a member in with e-mail and password; lockout is handled by axes."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    wait = 0
    if request.method == "POST":
        wait = auth_selectors.login_wait_seconds(email=request.POST.get("username", ""))
    form = LoginForm(request, data=request.POST or None, wait_seconds=wait)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if mfa_selectors.two_factor_enabled(user=user):
            signin.begin_second_step(request, user, next_url=_next_url(request))
            return redirect("firms:login_code")
        signin.complete(request, user, signin.landing_firm(user))
        return redirect(_next_url(request))
    if request.method == "POST":
        services.auth_login_failed(email=str(request.POST.get("username", ""))[:254])
    return TemplateResponse(
        request,
        "firms/auth/login.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


@require_POST
@staff_view()
def logout(request: StaffRequest) -> HttpResponse:
    """Log the member out and return to the login page."""
    services.auth_logout(user=request.user, firm=request.firm)
    auth_logout(request)
    messages.info(request, "You have logged out.")
    return redirect("firms:login")


@require_POST
@staff_view()
def firm_switch(request: StaffRequest) -> HttpResponse:
    """Switch the member to another firm they belong to (A3)."""
    wanted = request.POST.get("firm_id", "")
    target = next(
        (m for m in request.memberships if str(m.firm_id) == wanted),  # type: ignore[attr-defined]  # set by FirmContextMiddleware
        None,
    )
    if target is None:
        messages.error(request, "You are not a member of that firm.")
    else:
        request.session[SESSION_FIRM_KEY] = target.firm_id
        messages.success(request, f"You are now working in {target.firm.name}.")
    return redirect("reports:dashboard")


@public_view(reason="tells a logged-in user with no firm why they see nothing")
@require_http_methods(["GET"])
def no_firm(request: HttpRequest) -> HttpResponseBase:
    """Explain that the account has no active membership."""
    if not request.user.is_authenticated:
        return redirect("firms:login")
    if getattr(request, "membership", None) is not None:
        return redirect("reports:dashboard")
    return TemplateResponse(request, "firms/auth/no_firm.html", {})


class _ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "firms/auth/password_reset_confirm.html"
    success_url = reverse_lazy("firms:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.auth_password_reset_done(user=form.user)
        return response


class _ResetView(auth_views.PasswordResetView):
    """Send a reset link, at most a few an hour per address and per client.

    Past either limit the page says the same as always (it never tells
    whether an address has an account) and no e-mail is sent.
    """

    template_name = "firms/auth/password_reset_form.html"
    email_template_name = "firms/email/password_reset_body.txt"
    subject_template_name = "firms/email/password_reset_subject.txt"
    success_url = reverse_lazy("firms:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = auth_selectors.normalise_email(form.cleaned_data.get("email"))
        hour = 60 * 60
        allowed = throttle.allow(
            "reset-ip",
            client_ip(self.request) or "",
            limit=settings.PASSWORD_RESET_PER_IP,
            window_seconds=hour,
        ) and throttle.allow(
            "reset-address",
            email,
            limit=settings.PASSWORD_RESET_PER_ADDRESS,
            window_seconds=hour,
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset = public_view(reason="a member who forgot their password asks here")(
    _ResetView.as_view()
)
password_reset_done = public_view(reason="confirmation after asking for a reset")(
    auth_views.PasswordResetDoneView.as_view(
        template_name="firms/auth/password_reset_done.html"
    )
)
password_reset_confirm = public_view(reason="the link in the reset e-mail")(
    _ResetConfirmView.as_view()
)
password_reset_complete = public_view(reason="confirmation after a reset")(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="firms/auth/password_reset_complete.html"
    )
)


class _PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "firms/auth/password_change.html"
    success_url = reverse_lazy("reports:dashboard")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.auth_password_changed(user=form.user, firm=self.request.firm)  # type: ignore[attr-defined]  # staff_view guarantees a firm
        messages.success(self.request, "Your password has been changed.")
        return response


password_change = staff_view()(_PasswordChangeView.as_view())
