"""Template tag of the Documents section: ``{% load document_rows %}``."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from crm.cases import document_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def documents_section(context: Context) -> SafeString:
    """Draw ``cases/_documents_section.html`` for the page's context."""
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(document_rows.draw(context))  # noqa: S308
