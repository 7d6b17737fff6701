"""Template tag of the case page's Income section: ``{% load income_draw %}``."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from crm.income import case_draw

register = template.Library()


@register.simple_tag(takes_context=True)
def income_section(context: Context) -> SafeString:
    """Draw ``income/_for_case_section.html`` for the case page's context."""
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(case_draw.draw(context))  # noqa: S308
