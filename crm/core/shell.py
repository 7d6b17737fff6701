"""The app shell's navigation: which menu items a member sees (SPEC A8).

The items come from the ``nav`` registry, filled by the apps that own the
pages. An item appears only when its page exists (its URL name resolves), the
firm has its module and the principal holds its permission, so features that
have not landed are hidden instead of being dead links.
"""

from functools import cache, lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_urlconf, reverse

from crm.core import nav, principals
from crm.core.chrome import Link


@cache
def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def url_if_exists(url_name: str) -> str | None:
    """Return the URL of ``url_name``, or None while that page does not exist."""
    return _url(url_name)


# Distinct (menu, modules, permissions held, settings) a worker remembers.
ENTRIES_LIMIT = 512


class _Entry(NamedTuple):
    item: nav.NavItem
    label: str
    url: str


@lru_cache(maxsize=64)
def _asked(menu: str, version: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the modules and the permissions ``menu``'s items ask for."""
    items = nav.items(menu)
    modules = sorted({item.module for item in items if item.module})
    perms = sorted({item.perm for item in items if item.perm})
    return tuple(modules), tuple(perms)


@lru_cache(maxsize=ENTRIES_LIMIT)
def _entries_for(
    menu: str,
    modules: tuple[str, ...],
    held: tuple[str, ...],
    shared: bool,
    key: tuple[object, ...],
) -> tuple[_Entry, ...]:
    """Return ``menu``'s items shown to a principal holding ``modules`` and ``held``.

    ``key`` is what else the answer depends on: the development mailbox
    setting, the URLconf and the registry's version.
    """
    dev_mailbox = key[0]
    entries = []
    for item in nav.items(menu):
        url = url_if_exists(item.url_name)
        if url is None:
            continue
        if item.module and item.module not in modules:
            continue
        if item.perm and item.perm not in held:
            continue
        if item.dev_only and not dev_mailbox:
            continue
        label = item.both_label if item.both_label and shared else item.label
        # Plain text, as the header draws it (``chrome._text``). A label is
        # typed ``str``: a lazy one would fail here, not stay in one language.
        entries.append(_Entry(item, str.__str__(label), str.__str__(url)))
    return tuple(entries)


def _entries(principal: Any, menu: str) -> tuple[_Entry, ...]:
    """Return ``menu``'s entries for ``principal`` (kept per combination)."""
    firm = principal.firm
    version = nav.version()
    modules, perms = _asked(menu, version)
    return _entries_for(
        menu,
        tuple(m for m in modules if firm.has_module(m)),
        tuple(p for p in perms if principal.has_perm(p)),
        len(firm.modules) > 1,
        (settings.DEV_MAILBOX, get_urlconf() or settings.ROOT_URLCONF, version),
    )


def _shown(
    request: HttpRequest, menu: str
) -> list[tuple[nav.NavItem, dict[str, object]]]:
    """Return ``menu``'s items the principal may see, each with its entry.

    Which items a principal sees depends only on the firm's modules and the
    permissions the menu asks about, so each worker keeps the answer per
    such combination; whether an item is the current page is decided here.
    """
    principal = request.principal  # type: ignore[attr-defined]  # set by FirmContextMiddleware
    entries = _entries(principal, menu)
    path = request.path
    return [
        (
            item,
            {
                "label": label,
                "url": url,
                "active": path == url
                or bool(item.prefix and path.startswith(item.prefix)),
            },
        )
        for item, label, url in entries
    ]


def _visible(request: HttpRequest, menu: str) -> tuple[Link, ...]:
    """Return ``menu``'s links as the header draws them (``chrome.Link``)."""
    principal = request.principal  # type: ignore[attr-defined]  # set by FirmContextMiddleware
    path = request.path
    return tuple(
        [
            Link(
                label,
                url,
                path == url or bool(item.prefix and path.startswith(item.prefix)),
            )
            for item, label, url in _entries(principal, menu)
        ]
    )


def _actions(request: HttpRequest) -> list[dict[str, object]]:
    """Return the header's actions, a group's items as one button or one menu.

    A firm with one kind of case gets its one + New Case link; a firm with
    several gets one + New Case that opens a list of the kinds the member may
    create, each a real link (SPEC A8, E1).
    """
    shown = _shown(request, nav.ACTIONS)
    choices: dict[str, list[dict[str, object]]] = {}
    for item, entry in shown:
        if item.group:
            choice = {"label": item.choice_label or item.label, "url": entry["url"]}
            choices.setdefault(item.group, []).append(choice)
    actions: list[dict[str, object]] = []
    for item, entry in shown:
        if not item.group:
            actions.append(entry)
            continue
        group = choices.pop(item.group, None)
        if group is None:
            continue  # the group is shown already, by its first item
        if len(group) > 1:
            actions.append({**entry, "choices": group})
        elif item.solo:
            actions.append(entry)
    return actions


def brand_text_colour(hex_colour: str) -> str:
    """Return black or white, whichever reads better on ``hex_colour`` (WCAG)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    contrast_white = 1.05 / (luminance + 0.05)
    contrast_black = (luminance + 0.05) / 0.05
    return "#ffffff" if contrast_white >= contrast_black else "#111827"


def shell_context(request: HttpRequest) -> dict[str, object]:
    """Return what the base layout needs for a staff member's request."""
    principal = getattr(request, "principal", None)
    if principal is None or principal.kind != principals.STAFF:
        return {}
    firm = principal.firm
    return {
        "nav": _visible(request, nav.MAIN),
        "settings_nav": _visible(request, nav.SETTINGS),
        "search_url": url_if_exists("contacts:search"),
        "actions": _actions(request),
        "brand_text": brand_text_colour(firm.brand_colour),
    }
