"""Template filters shared by every app: ``{% load casework %}``."""

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest

from crm.core import audit, policies, sections
from crm.core.pagination import COUNT_CAP
from crm.core.shell import brand_text_colour

register = template.Library()


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
