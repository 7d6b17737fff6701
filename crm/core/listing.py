"""The list-page toolkit: columns, sortable headers, tabs and the page context.

A list page is one selector, one FilterSet (``crm.core.filters``), one tuple of
``Column`` and one short template extending ``components/list_page.html``;
``list_context`` gives that template everything it shares with other lists.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from crm.core.filters import ListFilterSet
from crm.core.pagination import Page


@dataclass(frozen=True)
class Column:
    """One column of a list table.

    ``sort`` is the ``?sort=`` key ("" if the column does not sort); the cell
    shows ``template`` (rendered with ``row``, e.g. a partial
    ``"advice/case_list.html#cell_client"``) or else ``attr`` (a dotted path
    on the row, ``default`` when empty); ``classes`` go on the cell.
    ``hide_label`` keeps the header's label for screen readers only (a column
    of buttons).
    """

    label: str
    sort: str = ""
    template: str = ""
    attr: str = ""
    default: str = ""
    classes: str = ""
    hide_label: bool = False


@dataclass(frozen=True)
class ListSpec:
    """What a list page declares once: its names, columns and templates.

    ``id`` prefixes the page's element ids (``<id>-results``, ``<id>-tabs``,
    ``<id>-export``, ``<id>-results-status``). ``empty_template`` is the
    state with no rows at all; ``no_match_template`` replaces the shared
    "no rows for these filters" state; ``notice_template`` shows above the
    rows; ``row_template`` replaces the cells with a whole ``<tr>``.
    ``oob_fields`` are filters whose choices follow the others, re-sent with
    the results. ``tab_count_label`` says what a tab's count counts, for
    screen readers ("open").
    """

    id: str
    title: str
    caption: str
    filter_label: str
    no_match: str
    columns: tuple[Column, ...]
    empty_template: str
    tabs: tuple[tuple[str, str], ...] = ()
    tabs_label: str = ""
    export_url: str = ""
    no_match_template: str = ""
    notice_template: str = ""
    row_template: str = ""
    oob_fields: tuple[str, ...] = ()
    tab_count_label: str = ""


@dataclass(frozen=True)
class Header:
    """A column header as the template draws it."""

    column: Column
    url: str
    aria_sort: str


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


def headers(params: QueryDict, current: str, columns: Sequence[Column]) -> list[Header]:
    """Return the header of each column, with its sort link and aria-sort."""
    links = sort_links(params, current, [c.sort for c in columns if c.sort])
    return [
        Header(
            column=c,
            url=links[c.sort]["url"] if c.sort else "",
            aria_sort=links[c.sort]["aria_sort"] if c.sort else "",
        )
        for c in columns
    ]


def tab_links(
    params: QueryDict,
    current: str,
    tabs: Iterable[tuple[str, str]],
    counts: Mapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """Return each tab's label, link (keeping the filters), count and whether open."""
    return [
        {
            "key": key,
            "label": label,
            "url": _with(params, "tab", key),
            "active": key == current,
            "count": counts.get(key) if counts is not None else None,
        }
        for key, label in tabs
    ]


def list_context(
    params: QueryDict,
    *,
    spec: ListSpec,
    filterset: ListFilterSet,
    page: Page[Any],
    counts: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Return what ``components/list_page.html`` needs for one list page."""
    export = params.copy()
    export.pop("page", None)
    return {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "list": spec,
        "headers": headers(params, filterset.sort, spec.columns),
        "tab": filterset.tab,
        "tabs": tab_links(filterset.params(), filterset.tab, spec.tabs, counts),
        "sort": filterset.sort,
        "filtered": filterset.is_filtered,
        "clear_url": filterset.clear_url(),
        "export_query": export.urlencode(),
    }
