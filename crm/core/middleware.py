"""Resolve the current firm for each request and scope every query to it (T2)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django_scopes.state import state as scope_state

from crm.core.request_context import request_ip
from crm.firms import selectors as firm_selectors

SESSION_FIRM_KEY = "firm_id"


class FirmContextMiddleware:
    """Attach ``firm``, ``membership`` and ``memberships`` and enter the scope.

    A request with no firm runs with an empty scope, so any firm-owned query
    raises ``ScopeError``: the request fails closed instead of leaking.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        memberships = []
        membership = None
        if request.user.is_authenticated:
            memberships = firm_selectors.membership_list_for_user(user=request.user)
            wanted = request.session.get(SESSION_FIRM_KEY)
            membership = next(
                (m for m in memberships if m.firm_id == wanted),
                memberships[0] if memberships else None,
            )
        request.memberships = memberships  # type: ignore[attr-defined]  # set for every request here
        request.membership = membership  # type: ignore[attr-defined]  # set for every request here
        request.firm = membership.firm if membership else None  # type: ignore[attr-defined]  # set for every request here

        current: dict[str, object] = {"_enabled": True}
        if membership is not None:
            current["firm"] = membership.firm_id
        token = scope_state.set(current)
        try:
            with request_ip(request.META.get("REMOTE_ADDR")):
                return self.get_response(request)
        finally:
            scope_state.reset(token)
