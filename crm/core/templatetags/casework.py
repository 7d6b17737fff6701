"""Template filters shared by every app: ``{% load casework %}``."""

from functools import lru_cache
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.files.storage import storages
from django.http import HttpRequest
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

from crm.core import audit, chrome, formcache, policies, sections
from crm.core.events import history
from crm.core.pagination import COUNT_CAP
from crm.core.rows import RowPage
from crm.core.shell import brand_text_colour

register = template.Library()


@register.simple_tag(takes_context=True)
def chrome_html(context: Context) -> SafeString:
    """Draw the shell's header, user menu and sidebar (crm/core/chrome.py)."""
    values = chrome.chrome_of(context.get("request"), context.get("shell") or {})
    return chrome.draw(values, context.get("csrf_token"))


@register.filter
def count_cap(value: int) -> str:
    """Show a capped count: "1,000+" past the cap, else the number (1,234 style)."""
    if value > COUNT_CAP:
        return f"{intcomma(COUNT_CAP)}+"
    return str(intcomma(value))


@register.simple_tag
def search_nouns(firm: Any, last: str = "and") -> str:
    """Return what the header search finds for ``firm``: "clients and cases"."""
    if firm is None:
        return "clients"
    return sections.search_nouns(firm=firm, last=last)


@register.filter
def lookup(row: object, path: str) -> object:
    """Return the dotted attribute ``path`` of ``row`` ("" if any step is missing)."""
    value: object = row
    for name in path.split(".") if path else ():
        value = getattr(value, name, None)
        if value is None:
            return ""
        if callable(value):
            value = value()
    return value


@register.filter
def record_name(object_type: str) -> str:
    """Return the audit log's name for a record type ("Fact Find", "Member")."""
    return audit.record_name(object_type)


@register.filter
def brand_text(colour: str) -> str:
    """Return black or white, whichever reads better on the brand ``colour``."""
    return brand_text_colour(colour)


@register.filter
def openable(url: str, request: HttpRequest) -> bool:
    """Return whether the current member may open ``url`` (issue 14).

    For links computed in code, such as a rejected submission's fixes.
    """
    return policies.refusal(str(url), getattr(request, "principal", None)) is None


# The whitespace the template's loop draws around each row (each drawn list's
# test compares the page with the loop's).
_ROW_BEFORE = "\n          \n            "
_ROW_AFTER = "\n          \n        "


class ListRowsNode(Node):
    """The rows of ``page.items``, drawn in Python if ``list`` can, else its loop."""

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        spec = context.get("list")
        draw = getattr(spec, "row_drawer", None)
        if draw is None:
            return self.nodelist.render(context)
        page = RowPage(context)
        rows = [draw(row, page) for row in getattr(context.get("page"), "items", ())]
        drawn = "".join([f"{_ROW_BEFORE}{row}{_ROW_AFTER}" for row in rows])
        # Every cell drawer escapes its values, as the cell templates do.
        return mark_safe(drawn)  # noqa: S308


@register.tag
def list_rows(parser: Parser, token: Token) -> ListRowsNode:
    """Draw a list's rows in Python when its spec can (``crm.core.rows``).

    ``{% list_rows %}{% for row in page.items %}...{% endfor %}{% endlist_rows %}``:
    the loop inside is the reference, drawn when a column has no drawer.
    """
    nodelist = parser.parse(("endlist_rows",))
    parser.delete_first_token()
    return ListRowsNode(nodelist)


class FilterFieldsNode(Node):
    """A list's filter fields, drawn once per distinct input (``formcache``)."""

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        given = getattr(context.get("filterset"), "input_key", None)
        if given is None:
            return self.nodelist.render(context)
        spec = context.get("list")
        found = (given, getattr(spec, "oob_fields", None), bool(context.get("oob")))
        html = formcache.get(found)
        if html is None:
            html = self.nodelist.render(context)
            formcache.keep(found, html)
        return html


@register.tag
def filter_fields(parser: Parser, token: Token) -> FilterFieldsNode:
    """Draw the loop inside once per distinct filter input, then reuse it.

    ``{% filter_fields %}{% for field in form %}...{% endfor %}{% endfilter_fields %}``:
    the loop may read only ``form`` (the ``filterset``'s, as ``list_context``
    gives them), ``list.oob_fields`` and ``oob``, which the key holds with
    the FilterSet's input. Without a FilterSet it can describe, the loop is
    drawn each time.
    """
    nodelist = parser.parse(("endfilter_fields",))
    parser.delete_first_token()
    return FilterFieldsNode(nodelist)


class KeptStaticNode(StaticNode):
    """Django's ``{% static %}``, each address worked out once per worker."""

    def url(self, context: Context) -> str:
        return _static_url(self.path.resolve(context), get_script_prefix(), _storage())


def _storage() -> object:
    """Return the static files storage in use (a changed setting makes another)."""
    return storages["staticfiles"]


@lru_cache(maxsize=256)
def _static_url(path: str, script_prefix: str, storage: object) -> str:
    """Return ``{% static path %}``'s address (the storage's, under the prefix).

    A storage's addresses do not change while a worker runs (its manifest,
    if any, is read when it starts); the prefix and the storage are the key.
    """
    return StaticNode.handle_simple(path)


@register.tag
def static(parser: Parser, token: Token) -> StaticNode:
    """Replace Django's ``{% static %}`` where loaded after it: same output.

    Django's asks the storage on every use (about 70 Python calls each; the
    page shell has five).
    """
    return KeptStaticNode.handle_token(parser, token)


@register.simple_tag(takes_context=True)
def history_card(context: Context, subject: str) -> SafeString:
    """Draw ``components/_history.html`` with ``subject`` ("case", "lead")."""
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(history.draw(context, subject))  # noqa: S308
