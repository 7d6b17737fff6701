"""The API token principal: a token acting as its member, within its scope (K1).

``crm.api.apps`` registers ``resolve_token`` with ``crm.core.principals``
ahead of the session resolvers, so ``FirmContextMiddleware`` resolves a
request that carries ``Authorization: Bearer <key>`` as that token, whatever
session cookie it also has.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from crm.api import selectors, services
from crm.api.choices import TokenScope
from crm.api.models import ApiToken
from crm.core import principals
from crm.core.permissions import Perm
from crm.firms.models import Firm, User

# A read-only token holds only these of its member's permissions.
READ_PERMS = frozenset({Perm.VIEW_ALL_CASES, Perm.VIEW_OWN_CASES})
# No token manages the firm, its members or its tokens, whatever its member may.
NEVER = frozenset({Perm.MANAGE_FIRM, Perm.MANAGE_MEMBERS})
BEARER = "bearer "


@dataclass(frozen=True)
class ApiPrincipal:
    """An API token; it holds its member's permissions that its scope allows."""

    token: ApiToken

    @property
    def kind(self) -> str:
        """Return ``principals.API``."""
        return principals.API

    @property
    def firm(self) -> Firm:
        """Return the token's firm."""
        return self.token.firm

    @property
    def user(self) -> User:
        """Return the member the token acts as (the actor of what it changes)."""
        return self.token.membership.user

    @property
    def user_id(self) -> int:
        """Return the member's user id without loading the user."""
        return self.token.membership.user_id

    @property
    def membership(self) -> None:
        """Return None: a token is not a staff login, so no staff page opens."""
        return None

    @property
    def label(self) -> str:
        """Return the token's name for the audit log and messages."""
        return f"{self.token.name} (API token)"

    def has_perm(self, perm: str) -> bool:
        """Return whether the member holds ``perm`` and the scope allows it."""
        if perm in NEVER:
            return False
        if self.token.scope != TokenScope.READ_WRITE and perm not in READ_PERMS:
            return False
        return self.token.membership.has_perm(perm)


def bearer_key(request: HttpRequest) -> str | None:
    """Return the key of an ``Authorization: Bearer`` header, or None."""
    header = request.headers.get("Authorization", "")
    if header[: len(BEARER)].lower() != BEARER:
        return None
    return header[len(BEARER) :].strip() or None


def resolve_token(request: HttpRequest) -> ApiPrincipal | None:
    """Return the principal of the request's API token, or None.

    A revoked token, or one whose member was deactivated, resolves to nobody.
    """
    key = bearer_key(request)
    if key is None:
        return None
    token = selectors.token_for_key(key=key)
    if token is None:
        return None
    services.token_touch(token=token)
    return ApiPrincipal(token)
