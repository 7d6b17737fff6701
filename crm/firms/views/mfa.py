"""Two-factor sign-in: the code step, the member's own set-up, owner reset (A9)."""

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import public_view, staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors, services
from crm.firms.choices import Perm
from crm.firms.forms import TwoFactorCodeForm
from crm.firms.selectors import auth as auth_selectors
from crm.firms.selectors import mfa as mfa_selectors
from crm.firms.services.mfa import WRONG_CODE, new_secret
from crm.firms.views import signin

SETUP_KEY = "two_factor_setup_key"
NEW_CODES = "two_factor_new_codes"
CODES_FILE = 'attachment; filename="casework-recovery-codes.txt"'


@public_view(reason="the second step of signing in, after the right password")
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request: HttpRequest) -> HttpResponseBase:
    """Ask for the authenticator or recovery code, then log the member in.

    A wrong code counts as a failed sign-in (django-axes lockout, slowdown
    and the audit log), exactly like a wrong password.
    """
    user = signin.pending_user(request)
    if user is None:
        messages.info(request, "Sign in again with your e-mail and password.")
        return redirect("firms:login")
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        locked: HttpResponseBase = get_lockout_response(request, None, credentials)
        return locked
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = auth_selectors.login_wait_seconds(email=user.email)
        firm = signin.landing_firm(user, request.session.get(signin.PENDING_FIRM))
        verified = None
        if wait:
            form.add_error(
                "code",
                "There have been too many failed sign-ins to this account. "
                f"Wait {wait} seconds and try again.",
            )
        else:
            code = form.cleaned_data["code"]
            verified = services.two_factor_verify(user=user, firm=firm, code=code)
            if verified is None:
                user_login_failed.send(
                    __name__, credentials=credentials, request=request
                )
                services.auth_login_failed(email=user.email)
                form.add_error("code", WRONG_CODE)
        if verified is not None:
            next_url = signin.pending_next(request) or reverse("reports:dashboard")
            signin.complete(request, user, firm)
            if verified == "recovery":
                left = mfa_selectors.recovery_codes_left(user=user)
                messages.warning(
                    request,
                    f"You used a recovery code: {left} left. Make new ones from "
                    "Two-factor sign-in in your account menu.",
                )
            return redirect(next_url)
    return TemplateResponse(request, "firms/auth/login_code.html", {"form": form})


@require_GET
@staff_view()
def two_factor_detail(request: StaffRequest) -> HttpResponse:
    """Show the member's two-factor sign-in: on or off, and what they can do."""
    request.session.pop(NEW_CODES, None)
    device = mfa_selectors.two_factor_device(user=request.user)
    context = {
        "device": device,
        "codes_left": (
            mfa_selectors.recovery_codes_left(user=request.user) if device else 0
        ),
        "required": mfa_selectors.two_factor_required_for(user=request.user),
        "code_form": TwoFactorCodeForm(auto_id="id_regen_%s", autofocus=False),
        "off_form": TwoFactorCodeForm(auto_id="id_off_%s", autofocus=False),
    }
    return TemplateResponse(request, "firms/two_factor_detail.html", context)


def _qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        scale=4,
        border=2,
        dark="#000",
        light="#fff",
        svgclass="qr",
        omitsize=True,
        title="QR code to scan with your authenticator app",
    )
    # segno draws paths only; nothing in it comes from the member's input.
    return mark_safe(svg)  # noqa: S308


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("code")
@staff_view()
def two_factor_setup(request: StaffRequest) -> HttpResponse:
    """Set up an authenticator: scan or type the key, then prove it with a code."""
    if mfa_selectors.two_factor_enabled(user=request.user):
        return redirect("firms:two_factor_detail")
    key = request.session.get(SETUP_KEY) or new_secret()
    request.session[SETUP_KEY] = key
    form = TwoFactorCodeForm(request.POST or None, app_only=True)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enable(
                firm=request.firm,
                actor=request.user,
                key=key,
                code=form.cleaned_data["code"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            request.session.pop(SETUP_KEY, None)
            request.session[NEW_CODES] = codes
            messages.success(request, "Two-factor sign-in is on.")
            return redirect("firms:two_factor_codes")
    device = mfa_selectors.setup_device(user=request.user, key=key)
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": mfa_selectors.secret_for_display(key=key),
        "required": request.firm.require_two_factor,
        # Until it is set up, every other page is closed: no menus to offer.
        "base_template": (
            "auth_base.html" if request.firm.require_two_factor else "base.html"
        ),
    }
    return TemplateResponse(request, "firms/two_factor_setup.html", context)


@require_GET
@staff_view()
def two_factor_codes(request: StaffRequest) -> HttpResponse:
    """Show new recovery codes once (``?download=1``: as a text file)."""
    codes = request.session.get(NEW_CODES)
    if not codes:
        return redirect("firms:two_factor_detail")
    if request.GET.get("download"):
        lines = [
            f"Casework recovery codes for {request.user.email}",
            "Each code works once, in place of the code from your app.",
            "",
            *codes,
            "",
        ]
        return HttpResponse(
            "\n".join(lines),
            content_type="text/plain; charset=utf-8",
            headers={"Content-Disposition": CODES_FILE},
        )
    return TemplateResponse(request, "firms/two_factor_codes.html", {"codes": codes})


def _code_action(request: StaffRequest, action: str) -> HttpResponse:
    # A signed-in session guessing codes here is throttled like a sign-in.
    credentials = {"username": request.user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        messages.error(request, "Too many wrong codes. Try again later.")
        return redirect("firms:two_factor_detail")
    form = TwoFactorCodeForm(request.POST, auto_id=f"id_{action}_%s")
    code = form.cleaned_data["code"] if form.is_valid() else ""
    try:
        if action == "off":
            services.two_factor_disable(
                firm=request.firm, actor=request.user, code=code
            )
        else:
            codes = services.recovery_codes_regenerate(
                firm=request.firm, actor=request.user, code=code
            )
    except ApplicationError as exc:
        if exc.code == "invalid_code":
            user_login_failed.send(__name__, credentials=credentials, request=request)
        messages.error(request, exc.message)
        return redirect("firms:two_factor_detail")
    if action == "off":
        messages.success(request, "Two-factor sign-in is off.")
        return redirect("firms:two_factor_detail")
    request.session[NEW_CODES] = codes
    return redirect("firms:two_factor_codes")


@require_POST
@sensitive_post_parameters("code")
@staff_view()
def two_factor_disable(request: StaffRequest) -> HttpResponse:
    """Turn the member's own second factor off, after a current code."""
    return _code_action(request, "off")


@require_POST
@sensitive_post_parameters("code")
@staff_view()
def recovery_codes_new(request: StaffRequest) -> HttpResponse:
    """Replace the member's recovery codes, after a current code."""
    return _code_action(request, "regen")


@require_POST
@staff_view(perm=Perm.MANAGE_MEMBERS)
def member_two_factor_reset(request: StaffRequest, membership_id: int) -> HttpResponse:
    """Remove a member's second factor (owner only); they are told by e-mail."""
    member = selectors.membership_get(firm=request.firm, membership_id=membership_id)
    try:
        services.two_factor_reset(
            firm=request.firm,
            actor=request.user,
            actor_membership=request.membership,
            membership=member,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Two-factor sign-in for {member.user} was reset, and they have been "
            "told by e-mail. They sign in with their password alone until they "
            "set it up again"
            + (
                ", which the firm requires." if request.firm.require_two_factor else "."
            ),
        )
    return redirect("firms:member_list")
