"""Send members of a firm that requires two-factor sign-in to set it up (A9).

Until a member of such a firm has an authenticator, every page answers with
a redirect to the set-up page: only setting it up, seeing the new recovery
codes and logging out are left. API tokens are not members and pass through.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from crm.core import principals
from crm.firms.selectors.mfa import two_factor_enabled

# The views a member who must set up two-factor sign-in may still open.
ALLOWED_VIEWS = frozenset(
    {
        "firms:two_factor_setup",
        "firms:two_factor_codes",
        "firms:logout",
    }
)


def must_set_up(request: HttpRequest) -> bool:
    """Return True if the request's member must set up two-factor sign-in."""
    principal = getattr(request, "principal", None)
    if principal is None or principal.kind != principals.STAFF:
        return False
    if not principal.firm.require_two_factor:
        return False
    return not two_factor_enabled(user=principal.user)


class TwoFactorRequiredMiddleware:
    """Redirect to two-factor set-up while the member's firm requires it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        """Answer with the redirect before any other view runs."""
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        if not must_set_up(request):
            return None
        url = reverse("firms:two_factor_setup")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Set up two-factor sign-in first.", "setup_url": url},
                status=403,
            )
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
