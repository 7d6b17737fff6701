"""Template tag of the case page's Client actions: ``{% load action_log %}``."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from crm.portal import action_log_draw

register = template.Library()


@register.simple_tag(takes_context=True)
def action_log_section(context: Context) -> SafeString:
    """Draw ``portal/staff/_action_log_section.html`` for the page's context."""
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(action_log_draw.draw(context))  # noqa: S308
