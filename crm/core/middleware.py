"""Resolve who is acting and in which firm, and scope every query to it (T2)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.utils.cache import patch_cache_control
from django_scopes.state import state as scope_state

from crm.core import principals
from crm.core.http import client_ip
from crm.core.request_context import request_ip

SESSION_FIRM_KEY = "firm_id"


class FirmContextMiddleware:
    """Attach ``principal``, ``firm`` and ``membership`` and enter the scope.

    The principal comes from the resolvers apps register with
    ``crm.core.principals`` (``crm.firms`` resolves staff from the session and
    also attaches ``memberships``, the firm switcher's list).

    A request with no firm runs with an empty scope, so any firm-owned query
    raises ``ScopeError``: the request fails closed instead of leaking.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        principal = principals.resolve(request)
        request.principal = principal  # type: ignore[attr-defined]  # set for every request here
        request.membership = principal.membership if principal else None  # type: ignore[attr-defined]  # set for every request here
        request.firm = principal.firm if principal else None  # type: ignore[attr-defined]  # set for every request here

        current: dict[str, object] = {"_enabled": True}
        if principal is not None:
            current["firm"] = principal.firm.pk
        token = scope_state.set(current)
        try:
            with request_ip(client_ip(request)):
                return self.get_response(request)
        finally:
            scope_state.reset(token)


class StaffLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's login backstop, except that a portal client gets a 404.

    A client is not a logged-in user (their account is not a staff ``User``),
    so the stock middleware would send them to the staff login page, telling
    them the page exists. They get the same 404 as for a missing page.
    """

    def handle_no_permission(
        self, request: HttpRequest, view_func: Callable[..., Any]
    ) -> HttpResponseRedirect:
        principal = getattr(request, "principal", None)
        if principal is not None and principal.kind == principals.CLIENT:
            raise Http404
        return super().handle_no_permission(request, view_func)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is over ``MAX_REQUEST_BYTES`` (413).

    It runs first and answers from the ``Content-Length`` header alone, so a
    300 MB upload is turned away before any of it is read or stored. A body
    sent without a length is left to the server in front (gunicorn and the
    proxy cap those).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit: int = settings.MAX_REQUEST_BYTES
        if length > limit:
            return HttpResponse(
                f"The request is too large: the limit is {limit // (1024 * 1024)} MB.",
                status=413,
                content_type="text/plain; charset=utf-8",
                headers={"Connection": "close"},
            )
        return self.get_response(request)


class NoStoreMiddleware:
    """Keep signed-in pages and downloads out of every cache (``no-store``).

    Anything answered to a member or a portal client may hold personal data,
    so a shared computer's browser cache or a proxy must not keep it. Static
    files are served before this runs and keep their long cache lifetimes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = getattr(request, "principal", None) is not None or bool(
            user is not None and user.is_authenticated
        )
        if signed_in:
            patch_cache_control(response, no_store=True, private=True)
        return response
