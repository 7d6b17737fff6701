"""Links for list pages: sortable column headers and tabs that keep the filters."""

from collections.abc import Iterable
from typing import Any

from django.http import QueryDict


def _with(params: QueryDict, key: str, value: str) -> str:
    """Return a "?..." link of ``params`` with ``key`` set to ``value``, on page 1."""
    query = params.copy()
    query.pop("page", None)
    query[key] = value
    return "?" + query.urlencode()


def sort_links(
    params: QueryDict, current: str, keys: Iterable[str]
) -> dict[str, dict[str, str]]:
    """Return each sortable column's link (toggling direction) and aria-sort."""
    descending = current.startswith("-")
    links = {}
    for key in keys:
        active = current.lstrip("-") == key
        value = f"-{key}" if active and not descending else key
        aria = ("descending" if descending else "ascending") if active else ""
        links[key] = {"url": _with(params, "sort", value), "aria_sort": aria}
    return links


def tab_links(
    params: QueryDict, current: str, tabs: Iterable[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Return each tab's label, link (keeping the filters) and whether it is open."""
    return [
        {"label": label, "url": _with(params, "tab", key), "active": key == current}
        for key, label in tabs
    ]
