"""View policies: every view carries exactly one of these decorators (STYLE T3).

``staff_view(perm=...)`` lets in a staff principal (a logged-in member of the
current firm) who holds ``perm``; ``portal_view`` lets in clients with portal
access; ``link_view`` lets in whoever holds a public link's key, acting as
the link's own principal in the link's firm; ``public_view`` marks a view
anyone may open, with the reason written down.
"""

from collections.abc import Callable, Iterator
from functools import cache, lru_cache, wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, URLResolver, get_resolver, get_urlconf
from django_scopes import scope

from crm.core import principals
from crm.core.permissions import VISIBILITY_PERMS, Perm

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

POLICY_ATTR = "casework_policies"


def _mark(view: Callable[..., Any], wrapped: Callable[..., Any], policy: str) -> None:
    policies = [*getattr(wrapped, POLICY_ATTR, []), policy]
    setattr(view, POLICY_ATTR, policies)


def staff_view(*, perm: Perm | None = None, module: str = "") -> Callable[[View], View]:
    """Admit members of the current firm who hold ``perm`` (any member if None).

    ``module`` ("advice" or "support") makes the page exist only for firms
    that have that module: for others it answers 404, like a missing page.
    """
    if module not in ("", "advice", "support"):
        msg = f"Unknown module {module!r}."
        raise ValueError(msg)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            principal = getattr(request, "principal", None)
            if principal is not None and principal.kind == principals.CLIENT:
                raise Http404  # a portal client never learns staff pages exist
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if principal is None or principal.kind != principals.STAFF:
                return redirect("firms:no_firm")
            if module and not principal.firm.has_module(module):
                raise Http404
            if perm is not None and not principal.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        _mark(wrapper, view, f"staff:{perm or 'member'}")
        wrapper.casework_perm = perm  # type: ignore[attr-defined]  # read by the shell
        wrapper.casework_module = module  # type: ignore[attr-defined]  # read by tests
        return wrapper  # type: ignore[return-value]  # same signature as view

    return decorator


def portal_view(view: View) -> View:
    """Admit a logged-in portal client; send strangers to the portal's login.

    The portal app registers the client principal's resolver; a staff member
    (or anyone else who is not a client) is refused with 403, so a portal
    page never shows staff data and a member never acts as a client.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        principal = getattr(request, "principal", None)
        if principal is None:
            return redirect_to_login(request.get_full_path(), "portal:login")
        if principal.kind != principals.CLIENT:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper = login_not_required(wrapper)
    _mark(wrapper, view, "portal")
    return wrapper  # type: ignore[return-value]  # same signature as view


def public_view(*, reason: str) -> Callable[[View], View]:
    """Mark a view anyone may open; ``reason`` says why it needs no login."""
    if not reason.strip():
        msg = "public_view needs a reason."
        raise ValueError(msg)

    def decorator(view: View) -> View:
        wrapper = login_not_required(view)
        _mark(wrapper, view, "public")
        wrapper.casework_public_reason = reason  # type: ignore[attr-defined]  # documentation for readers and tests
        return wrapper

    return decorator


LINK_PROBLEM_TEMPLATE = "core/link_problem.html"
LINK_NOT_FOUND = (
    "This link is not valid. Check that you copied the whole address, or ask "
    "whoever sent it for a new one."
)


def link_view(*, kind: str, kwarg: str, reason: str) -> Callable[[View], View]:
    """Admit whoever holds a public link: the URL's ``kwarg`` is its key.

    The app that owns links of ``kind`` resolves the key to a principal of
    their own (``principals.register_link``); the view then runs as that
    principal, in the scope of the link's firm and nothing else, even when a
    member of another firm is logged in on the same browser. An unknown key
    answers 404 and a used or expired one 410, each with a page that says so.
    """
    if not reason.strip():
        msg = "link_view needs a reason."
        raise ValueError(msg)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            try:
                principal = principals.resolve_link(kind, str(kwargs.get(kwarg, "")))
            except principals.LinkRefused as exc:
                return _link_problem(request, exc.message, exc.status)
            if principal is None:
                return _link_problem(request, LINK_NOT_FOUND, 404)
            request.principal = principal  # type: ignore[attr-defined]  # the link's own principal
            request.firm = principal.firm  # type: ignore[attr-defined]  # the link's firm
            request.membership = None  # type: ignore[attr-defined]  # never a member
            with scope(firm=principal.firm.pk):
                return view(request, *args, **kwargs)

        wrapper = login_not_required(wrapper)
        _mark(wrapper, view, f"link:{kind}")
        wrapper.casework_link_kind = kind  # type: ignore[attr-defined]  # read by the link sweep
        wrapper.casework_public_reason = reason  # type: ignore[attr-defined]  # documentation for readers and tests
        return wrapper  # type: ignore[return-value]  # same signature as view

    return decorator


def _link_problem(request: HttpRequest, message: str, status: int) -> HttpResponseBase:
    return TemplateResponse(
        request, LINK_PROBLEM_TEMPLATE, {"message": message}, status=status
    )


def refusal(url: str, principal: Any) -> str | None:
    """Return why ``principal`` would be refused the view at ``url``, or None.

    Read from the view's ``staff_view`` policy: the permission and module it
    needs. A URL that is not a page of this site, or a view without a staff
    policy, is never refused here. Pages use it (through the ``openable``
    filter) to leave out links a member could not follow (issue 14).
    """
    policy = _route_policy(urlsplit(url).path or "/", get_resolver(get_urlconf()))
    if policy is None:
        return None
    view_name, perm, module = policy
    if principal is None:
        return f"{view_name} needs a member"
    if module and not principal.firm.has_module(module):
        return f"{view_name} needs the {module} module"
    if perm and not principal.has_perm(perm):
        return f"{view_name} needs {perm}"
    return None


@lru_cache(maxsize=1024)
def _route_policy(path: str, resolver: URLResolver) -> tuple[str, Any, str] | None:
    """Return the view name, permission and module of the view at ``path``.

    None for a path that is no page, or a view that needs neither. Resolving
    walks the URL patterns (about 290 Python calls); a case page asks for each
    of its readiness links, most of them the same path.
    """
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    perm = getattr(match.func, "casework_perm", None)
    module = getattr(match.func, "casework_module", "")
    if not perm and not module:
        return None
    return match.view_name, perm, module


def _routed_views(patterns: list[Any]) -> Iterator[Callable[..., Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routed_views(pattern.url_patterns)
        else:
            yield pattern.callback


@cache
def _perm_modules() -> dict[str, frozenset[str]]:
    """Return, per permission, the modules of the routed views that need it."""
    found: dict[str, set[str]] = {}
    for view in _routed_views(get_resolver().url_patterns):
        perm = getattr(view, "casework_perm", None)
        if perm:
            found.setdefault(perm, set()).add(getattr(view, "casework_module", ""))
    return {perm: frozenset(modules) for perm, modules in found.items()}


def usable_perms(firm: Any) -> frozenset[str]:
    """Return the permissions that do something in ``firm`` (issue 14).

    A permission does something when a page of the firm's modules needs it,
    or when it decides which cases a member sees. "View reports" stays out
    until a report page exists; "Submit to Concert Hub" is out for a firm
    without the advice module.
    """
    usable = {
        perm
        for perm, modules in _perm_modules().items()
        if any(not module or firm.has_module(module) for module in modules)
    }
    return frozenset(usable | VISIBILITY_PERMS)
