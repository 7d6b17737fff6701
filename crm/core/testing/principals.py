"""Registry of test logins, one per kind of principal (STYLE T8).

Each app that adds a kind of principal (staff now; portal clients and API
tokens next) registers, next to its factories, how to get a test client
acting as a principal of that kind in a firm, with every permission that
kind can hold, and which URL namespaces it can reach. The isolation sweep in
``crm/core/tests/test_urls.py`` runs once per registered kind, so a new kind
is swept by registering it, without editing the sweep.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LoginAs = Callable[[Any], Any]


@dataclass(frozen=True)
class PrincipalLogin:
    """How to act as ``kind`` in a firm: ``login(firm) -> test client``.

    ``namespaces`` are the URL namespaces this kind's views live in; None
    claims every namespace no other kind claims (staff, today).
    """

    kind: str
    login: LoginAs
    namespaces: frozenset[str] | None = None


REGISTRY: dict[str, PrincipalLogin] = {}


def register(
    kind: str, *, namespaces: frozenset[str] | None = None
) -> Callable[[LoginAs], LoginAs]:
    """Register ``login(firm) -> client`` for principals of ``kind``."""

    def decorator(login: LoginAs) -> LoginAs:
        entry = PrincipalLogin(kind, login, namespaces)
        if REGISTRY.get(kind, entry).login is not login:
            msg = f"Two test logins for principal kind {kind!r}."
            raise ValueError(msg)
        REGISTRY[kind] = entry
        return login

    return decorator


def kinds() -> list[str]:
    """Return the registered principal kinds, sorted."""
    return sorted(REGISTRY)


def login_as(kind: str, firm: Any) -> Any:
    """Return a test client acting as a principal of ``kind`` in ``firm``."""
    return REGISTRY[kind].login(firm)


def reaches(kind: str, namespace: str) -> bool:
    """Return whether ``kind``'s views include the routes of ``namespace``."""
    claimed = REGISTRY[kind].namespaces
    if claimed is not None:
        return namespace in claimed
    return not any(
        namespace in (other.namespaces or ())
        for other in REGISTRY.values()
        if other.kind != kind
    )


# Link principals: public pages reached by a key in their address (a firm's
# referral form, a single-use scoring link). Each registers how to get a
# working path of a firm's link and a form post that names another firm's
# records; the link sweep in ``crm/core/tests/test_urls_links.py`` checks
# every route with a ``link_view`` policy against them.

LinkPath = Callable[[Any], str]
ForeignPost = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class LinkLogin:
    """How to reach a link principal's page in a firm, and a post to refuse."""

    kind: str
    path: LinkPath
    foreign_post: ForeignPost


LINKS: dict[str, LinkLogin] = {}


def register_link(kind: str, *, path: LinkPath, foreign_post: ForeignPost) -> None:
    """Register ``path(firm) -> url`` and ``foreign_post(other_firm) -> data``."""
    entry = LinkLogin(kind, path, foreign_post)
    current = LINKS.get(kind)
    if current is not None and current.path is not path:
        msg = f"Two link logins for principal kind {kind!r}."
        raise ValueError(msg)
    LINKS[kind] = entry


def link_kinds() -> list[str]:
    """Return the registered link principal kinds, sorted."""
    return sorted(LINKS)
