"""The app shell's header and menus, drawn once per distinct content.

Every staff page draws the same header, user menu and sidebar
(``components/_chrome.html``) from a few dozen values: the firm's name, the
member's name, e-mail and role, their firms, the menus the shell registry
gives them and which item is current. Drawn by the template each time, that
was about 4,000 Python calls a page, an eighth of the Clients list.

``Chrome`` holds exactly those values, as plain text (lazy labels are
translated in the active language when it is built), and the template is
rendered with nothing but a ``Chrome`` in its context: not the request, not
the page's context. So the HTML is a function of the ``Chrome`` value alone,
and each worker remembers it per distinct value (``_drawn``, bounded). No
entry can go stale or pass to another member: a rename, a role change or a
new firm makes a different value, which is drawn afresh. The one part that
differs per request, the CSRF token in the user menu's forms, is drawn as a
per-process random placeholder and put in afterwards.
"""

import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from crm.core import sections
from crm.core.rows import NOT_PROVIDED

TEMPLATE = "components/_chrome.html"
# Distinct headers a worker remembers: members x firms x current menu item.
DRAWN_LIMIT = 2048
# Drawn where the CSRF token goes; unguessable, so no stored text holds it.
_TOKEN = "csrf" + secrets.token_hex(16)


class Link(NamedTuple):
    """A menu entry: label, URL and whether it is the current page."""

    label: str
    url: str
    active: bool = False


class Action(NamedTuple):
    """A header action: one link, or a menu of ``choices``."""

    label: str
    url: str
    choices: tuple[Link, ...]


class FirmChoice(NamedTuple):
    """One of the member's firms, for the firm switcher."""

    firm_id: int
    name: str


@dataclass(frozen=True)
class Chrome:
    """Everything ``components/_chrome.html`` draws, as plain values."""

    firm_id: int | None
    firm_name: str
    search_url: str
    search_nouns: str
    search_nouns_comma: str
    actions: tuple[Action, ...]
    first_name: str
    last_name: str
    full_name: str
    email: str
    role: str
    memberships: tuple[FirmChoice, ...]
    nav: tuple[Link, ...]
    settings_nav: tuple[Link, ...]
    # ``{% url %}`` in the template depends on these (a deployment under a
    # path, a request's own URLconf).
    script_prefix: str
    urlconf: str


def _text(value: Any) -> str:
    """Return ``value`` as plain text, as the template would print it unescaped.

    Missing values print as "" (the engine's ``string_if_invalid``); a lazy
    label is translated now, so the language is part of the value. Always a
    plain ``str`` (never a ``SafeString``, which would compare equal to the
    same text but print unescaped).
    """
    return "" if value is None else str.__str__(str(value))


def _links(entries: Any) -> tuple[Link, ...]:
    if type(entries) is tuple and entries and type(entries[0]) is Link:
        return entries  # the shell's own links (``shell._visible``), plain text
    return tuple(
        Link(_text(e.get("label")), _text(e.get("url")), bool(e.get("active")))
        for e in entries or ()
    )


def _actions(entries: Any) -> tuple[Action, ...]:
    return tuple(
        Action(_text(e.get("label")), _text(e.get("url")), _links(e.get("choices")))
        for e in entries or ()
    )


def chrome_of(request: HttpRequest | None, shell: dict[str, Any]) -> Chrome:
    """Return the values the shell draws for ``request`` (``shell``: its menus)."""
    firm = getattr(request, "firm", None)
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    role = membership.get_role_display() if membership is not None else ""
    memberships = getattr(request, "memberships", None) or ()
    if firm is None:
        nouns = comma = "clients"
    else:
        nouns = sections.search_nouns(firm=firm)
        comma = sections.search_nouns(firm=firm, last=",")
    return Chrome(
        firm_id=firm.pk if firm is not None else None,
        firm_name=_text(getattr(firm, "name", None)),
        search_url=_text(shell.get("search_url")),
        search_nouns=nouns,
        search_nouns_comma=comma,
        actions=_actions(shell.get("actions")),
        first_name=_text(getattr(user, "first_name", None)),
        last_name=_text(getattr(user, "last_name", None)),
        full_name=_text(getattr(user, "full_name", None)),
        email=_text(getattr(user, "email", None)),
        role=_text(role),
        memberships=tuple(
            FirmChoice(m.firm_id, _text(m.firm.name)) for m in memberships
        ),
        nav=_links(shell.get("nav")),
        settings_nav=_links(shell.get("settings_nav")),
        script_prefix=get_script_prefix(),
        urlconf=str(get_urlconf() or settings.ROOT_URLCONF),
    )


@lru_cache(maxsize=DRAWN_LIMIT)
def _drawn(chrome: Chrome, template: Any) -> str:
    """Return the header for ``chrome``, with the token placeholder.

    ``template`` is the engine's compiled template (the loader's cached one),
    so an edited template (the development server reloads) draws afresh.
    """
    html: str = template.render(Context({"chrome": chrome, "csrf_token": _TOKEN}))
    return html.strip("\n")


def draw(chrome: Chrome, csrf_token: Any) -> SafeString:
    """Return the header, menus and sidebar for ``chrome`` with this CSRF token.

    ``csrf_token`` is the page context's (a lazy token, "NOTPROVIDED" or
    missing); without a real token the header is drawn as is, not remembered.
    """
    template = get_template(TEMPLATE).template  # type: ignore[attr-defined]  # the Django backend's compiled template
    token = "" if csrf_token is None else str(csrf_token)
    if not token or token == NOT_PROVIDED:
        context = {"chrome": chrome, "csrf_token": csrf_token}
        html: str = template.render(Context(context)).strip("\n")
        return mark_safe(html)  # noqa: S308 - drawn by the autoescaping template
    html = _drawn(chrome, template).replace(_TOKEN, conditional_escape(token))
    return mark_safe(html)  # noqa: S308 - drawn by the autoescaping template
