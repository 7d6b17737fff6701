"""The list-page toolkit: columns, sortable headers, tabs and the page context.

A list page is one selector, one FilterSet (``crm.core.filters``), one tuple of
``Column`` and one short template extending ``components/list_page.html``;
``list_context`` gives that template everything it shares with other lists.
"""

import copy
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.http import QueryDict
from django.template import Context, engines
from django.template.base import Node, NodeList, Template, TextNode, VariableNode
from django.template.defaulttags import (
    CommentNode,
    ForNode,
    IfNode,
    LoadNode,
    URLNode,
    WithNode,
)
from django.template.loader import get_template
from django.template.loader_tags import IncludeNode
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape

from crm.core.filters import ListFilterSet
from crm.core.pagination import PAGE_PARAMS, Page
from crm.core.rows import Cell, RowPage, e, lookup


@dataclass(frozen=True)
class Column:
    """One column of a list table.

    ``sort`` is the ``?sort=`` key ("" if the column does not sort); the cell
    shows ``template`` (rendered with ``row``, e.g. a partial
    ``"advice/case_list.html#cell_client"``) or else ``attr`` (a dotted path
    on the row, ``default`` when empty); ``classes`` go on the cell.
    ``hide_label`` keeps the header's label for screen readers only (a column
    of buttons). ``draw`` draws the cell's ``template`` in Python, for the
    rows of a page (``crm.core.rows``); an ``attr`` cell has one already.
    """

    label: str
    sort: str = ""
    template: str = ""
    attr: str = ""
    default: str = ""
    classes: str = ""
    hide_label: bool = False
    draw: Cell | None = None

    @property
    def drawer(self) -> Cell | None:
        """Return the cell drawn in Python, or None if only its template draws it."""
        if self.draw is not None or self.template:
            return self.draw
        return _attr_cell(self.attr, self.default)


@dataclass(frozen=True)
class ListSpec:
    """What a list page declares once: its names, columns and templates.

    ``id`` prefixes the page's element ids (``<id>-results``, ``<id>-tabs``,
    ``<id>-export``, ``<id>-results-status``). ``empty_template`` is the
    state with no rows at all; ``no_match_template`` replaces the shared
    "no rows for these filters" state; ``notice_template`` shows above the
    rows; ``row_template`` replaces the cells with a whole ``<tr>``, and
    ``draw_row`` draws that row in Python (``crm.core.rows``).
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
    draw_row: Cell | None = None
    oob_fields: tuple[str, ...] = ()
    tab_count_label: str = ""

    @property
    def compiled_row(self) -> Any:
        """Return the row of cells compiled once into one template (see ``row_of``)."""
        return row_of(self.columns)

    @property
    def row_drawer(self) -> Cell | None:
        """Return the whole row drawn in Python, or None if templates must draw it.

        A list of cells is drawn in Python when every column has a drawer.
        """
        if self.row_template:
            return self.draw_row
        return _row_drawer(self.columns)


def _attr_cell(attr: str, default: str) -> Cell:
    """Return ``{{ row.<attr>|default:"<default>" }}`` drawn in Python."""
    if not _ATTR.match(attr):
        msg = f"Bad cell attribute: {attr!r}"
        raise ValueError(msg)
    default = default.replace("\\", "").replace('"', "")

    def cell(row: Any, page: RowPage) -> str:
        value = lookup(row, attr)
        return e(value) if value else default

    return cell


@functools.cache
def _row_drawer(columns: tuple[Column, ...]) -> Cell | None:
    """Return ``row_of(columns)`` drawn in Python, if every column can be."""
    cells = []
    for column in columns:
        drawer = column.drawer
        if drawer is None:
            return None
        classes = f' class="{escape(column.classes)}"' if column.classes else ""
        cells.append((f"<td{classes}>", drawer))

    def row(item: Any, page: RowPage) -> str:
        drawn = "".join([f"{td}{draw(item, page)}</td>" for td, draw in cells])
        return f"<tr>{drawn}</tr>"

    return row


_ATTR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


def row_of(columns: tuple[Column, ...]) -> Template:
    """Return one ``<tr>`` template for ``columns``, built once per list.

    The cells are joined into one node list: each cell template's own nodes
    (a partial such as ``"advice/case_list.html#client"`` is parsed once by
    the loader) or ``{{ row.<attr>|default:... }}``. A row then renders as one
    template, without the per-cell loop, ``with``, ``if`` and ``include``
    that cost a list page most of its Python time. Built afresh on each call
    under ``DEBUG``, so edited cell templates show at once.
    """
    if settings.DEBUG:
        return _build_row(columns)
    return _cached_row(columns)


def _compiled(template: Any) -> Template:
    """Return the engine's compiled template inside a backend's wrapper."""
    return cast(Template, template.template)


def _build_row(columns: tuple[Column, ...]) -> Template:
    engine = engines["django"]
    row = _compiled(engine.from_string(""))
    nodes = NodeList([TextNode("<tr>")])
    for column in columns:
        classes = f' class="{escape(column.classes)}"' if column.classes else ""
        nodes.append(TextNode(f"<td{classes}>"))
        if column.template:
            nodes.extend(_compiled(get_template(column.template)).nodelist)
        else:
            if not _ATTR.match(column.attr):
                msg = f"Bad cell attribute: {column.attr!r}"
                raise ValueError(msg)
            default = column.default.replace("\\", "").replace('"', "")
            cell = "{{ row." + column.attr + '|default:"' + default + '" }}'
            nodes.extend(_compiled(engine.from_string(cell)).nodelist)
        nodes.append(TextNode("</td>"))
    nodes.append(TextNode("</tr>"))
    row.nodelist = _inlined(nodes)
    return row


# Nodes that keep no state between renders in the render context, so an
# included template made only of them draws the same inline.
_STATELESS = (
    TextNode,
    VariableNode,
    IfNode,
    ForNode,
    WithNode,
    CommentNode,
    LoadNode,
    URLNode,
    IncludeNode,
)


def _inlined(nodes: NodeList) -> NodeList:
    """Return ``nodes`` with each ``{% include "name" with ... %}`` drawn in place.

    A cell such as ``{% include "cases/_status.html" with case=row %}`` (which
    includes the badge in turn) costs an include per row, each a template
    lookup, a render-context state and a context push. A literal include of a
    template that keeps no render state (no cycle, ifchanged, blocks...) is
    replaced by that template's nodes under the same ``with`` values.
    """
    out = NodeList()
    for node in nodes:
        inline = _inline(node) if isinstance(node, IncludeNode) else None
        out.append(node if inline is None else inline)
    return out


def _inline(node: IncludeNode) -> "_Inline | None":
    """Return the include drawn in place, or None if it must stay an include."""
    name = node.template.var
    if not isinstance(name, str) or node.template.filters or node.isolated_context:
        return None
    if name.startswith("."):  # relative to the including template: left as is
        return None
    included = _compiled(get_template(name)).nodelist
    if not all(isinstance(n, _STATELESS) for n in included.get_nodes_by_type(Node)):
        return None
    return _Inline(_inlined(included), node.extra_context)


class _Inline(Node):
    """An included template's nodes, drawn with its ``with`` values pushed."""

    def __init__(self, nodelist: NodeList, extra_context: dict[str, Any]) -> None:
        self.nodelist = nodelist
        self.extra_context = extra_context

    def render(self, context: Context) -> str:
        values = {k: v.resolve(context) for k, v in self.extra_context.items()}
        with context.push(**values):
            return self.nodelist.render(context)


_cached_row = functools.cache(_build_row)


@dataclass(frozen=True)
class Header:
    """A column header as the template draws it."""

    column: Column
    url: str
    aria_sort: str


def _with(params: QueryDict, key: str, value: str) -> str:
    """Return a "?..." link of ``params`` with ``key`` set to ``value``, on page 1."""
    # A shallow copy: its lists are only replaced or dropped, never changed in
    # place (``params.copy()`` deep-copies, about 80 calls; ten links a page).
    query = copy.copy(params)
    for name in PAGE_PARAMS:
        query.pop(name, None)
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
    export = copy.copy(params)  # shallow, as in _with
    for name in PAGE_PARAMS:
        export.pop(name, None)
    return {
        "filterset": filterset,
        # Made only if the page draws it: a kept filter bar does not
        # (``crm.core.formcache``).
        "form": SimpleLazyObject(lambda: filterset.form),
        "filters_shown": bool(filterset.filters),
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
