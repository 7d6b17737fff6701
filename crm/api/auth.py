"""Who may call the API, and how often (K1, K2).

Two ways in, both resolved by ``FirmContextMiddleware`` as principals: an API
token (``Authorization: Bearer <key>``) or a member's own session, with its
CSRF token on writes, for trying the API from the docs page while logged in.
A request that carries a bearer key that does not resolve is refused (401)
even if it also has a session, so a revoked token never quietly acts as
whoever is logged in in the same browser.
"""

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle

from crm.core import principals

# Requests per window per token (or member) when ``API_RATE_LIMIT`` is unset.
DEFAULT_RATE = 600
DEFAULT_WINDOW_SECONDS = 60


class TokenAuth(HttpBearer):
    """Admit the API token principal the middleware resolved from the header."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        principal = getattr(request, "principal", None)
        if principal is None or principal.kind != principals.API:
            raise AuthenticationError
        return principal


class MemberSessionAuth(APIKeyCookie):
    """Admit a logged-in member of the firm; unsafe methods need the CSRF token."""

    @property
    def param_name(self) -> str:
        name: str = settings.SESSION_COOKIE_NAME
        return name

    @param_name.setter
    def param_name(self, value: str) -> None:
        """Ignore ninja's class default; the name always comes from settings."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        principal = getattr(request, "principal", None)
        if principal is None or principal.kind != principals.STAFF:
            return None
        return principal


class PrincipalThrottle(BaseThrottle):
    """A fixed window of ``API_RATE_LIMIT`` requests per principal.

    Tokens are counted each on their own and a member's session on its own.
    With more than one web process the cache must be shared (``CACHE_URL``).
    """

    def allow_request(self, request: HttpRequest) -> bool:
        rate: int = getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE)
        window: int = getattr(
            settings, "API_RATE_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS
        )
        principal = getattr(request, "principal", None)
        if principal is None:
            return True
        ident = (
            f"token:{principal.token.pk}"
            if principal.kind == principals.API
            else f"user:{principal.user_id}"
        )
        now = time.time()
        start = math.floor(now / window) * window
        key = f"api-throttle:{ident}:{start}"
        self.retry_after = max(1.0, start + window - now)
        if cache.add(key, 1, timeout=window + 1):
            return True
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(key, 1, timeout=window + 1)
            return True
        return bool(used <= rate)

    def wait(self) -> float | None:
        """Return the seconds until the window resets (for ``Retry-After``)."""
        return float(getattr(self, "retry_after", 1.0))
