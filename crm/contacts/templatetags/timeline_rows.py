"""Template tag of the client record's timeline: ``{% load timeline_rows %}``."""

from typing import Any

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from crm.contacts import timeline_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def timeline_items(context: Context, items: Any) -> SafeString:
    """Draw ``contacts/_timeline_items.html`` for ``items``."""
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(timeline_rows.draw(context, items))  # noqa: S308
