"""Who is acting: the principal behind a request, a job or a call (STYLE B11).

A principal is a staff member today; a portal client and an API token follow.
Each kind lives in the app that owns its accounts and is found by a resolver
that app registers in ``AppConfig.ready()`` (``crm.firms`` registers the staff
resolver), so core resolves principals without importing any of those apps.

Visibility policies (``crm.cases.policies.case_visibility``) and permission
checks take a principal, never a membership, so that one policy serves every
kind of principal.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from django.http import HttpRequest

if TYPE_CHECKING:
    from crm.firms.models import Firm, Membership, User

# The kinds of principal: a firm's member, a portal client, an API token.
STAFF = "staff"
CLIENT = "client"
API = "api"
# Public pages reached by a key in their address, each its own principal: a
# firm's referral form, a beneficiary's single-use scoring link and a partner
# organisation's referral link (I10, I11, I12).
REFERRER = "referrer"
SCORING_LINK = "scoring_link"
PARTNER_LINK = "partner_link"


class Principal(Protocol):
    """Someone acting in one firm, with the permissions they hold there.

    ``user`` is the account logged in (None for an API token) and ``user_id``
    its id, read without loading it; ``membership``
    is the staff membership (None for anyone but staff); ``label`` names the
    principal in the audit log and in messages.
    """

    @property
    def kind(self) -> str: ...

    @property
    def firm(self) -> "Firm": ...

    @property
    def user(self) -> "User | None": ...

    @property
    def user_id(self) -> int | None: ...

    @property
    def membership(self) -> "Membership | None": ...

    @property
    def label(self) -> str: ...

    def has_perm(self, perm: str) -> bool:
        """Return whether this principal holds ``perm`` in ``firm``."""
        ...


Resolver = Callable[[HttpRequest], Principal | None]
MemberChoices = Callable[..., list[tuple[int, str]]]

_resolvers: list[Resolver] = []
_member_choices: list[MemberChoices] = []


def register_resolver(resolver: Resolver, *, first: bool = False) -> Resolver:
    """Add ``resolver(request) -> Principal | None``; the first answer wins.

    Resolvers run in registration order (``INSTALLED_APPS`` order, since apps
    register in ``ready()``); ``first`` puts this one ahead of the others, for
    credentials a request states explicitly (an API token's header) over its
    ambient session. Registering the same function twice is a no-op.
    """
    if resolver not in _resolvers:
        if first:
            _resolvers.insert(0, resolver)
        else:
            _resolvers.append(resolver)
    return resolver


def resolve(request: HttpRequest) -> Principal | None:
    """Return the principal acting in ``request``, or None if there is none."""
    for resolver in _resolvers:
        principal = resolver(request)
        if principal is not None:
            return principal
    return None


def register_member_choices(provider: MemberChoices) -> MemberChoices:
    """Set ``provider(*, firm) -> [(user_id, name)]``, the firm's active members."""
    _member_choices[:] = [provider]
    return provider


def member_choices(*, firm: "Firm") -> list[tuple[int, str]]:
    """Return ``(user_id, name)`` of the firm's active members, for filters."""
    if not _member_choices:
        return []
    return _member_choices[0](firm=firm)


class LinkRefused(Exception):
    """A link that exists but no longer opens: used or expired (answers 410)."""

    def __init__(self, message: str, *, status: int = 410) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


LinkResolver = Callable[[str], Principal | None]
_link_resolvers: dict[str, LinkResolver] = {}


def register_link(kind: str, resolver: LinkResolver) -> LinkResolver:
    """Set ``resolver(key) -> Principal | None`` for public links of ``kind``.

    The resolver returns None for a key it does not know (404) and raises
    ``LinkRefused`` for one that was used or has expired (410).
    """
    current = _link_resolvers.get(kind)
    if current is not None and current is not resolver:
        msg = f"Two link resolvers for {kind!r}."
        raise ValueError(msg)
    _link_resolvers[kind] = resolver
    return resolver


def resolve_link(kind: str, key: str) -> Principal | None:
    """Return the principal a public link of ``kind`` with ``key`` stands for."""
    resolver = _link_resolvers.get(kind)
    if resolver is None:
        msg = f"No link resolver for {kind!r}."
        raise LookupError(msg)
    return resolver(key)
