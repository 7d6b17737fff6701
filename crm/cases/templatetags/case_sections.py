"""Template tags of the case sections drawn in Python: ``{% load case_sections %}``."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from crm.cases import document_rows, record_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def documents_section(context: Context) -> SafeString:
    """Draw ``cases/_documents_section.html`` for the page's context."""
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(document_rows.draw(context))  # noqa: S308


@register.simple_tag(takes_context=True)
def contact_cases_card(context: Context) -> SafeString:
    """Draw ``cases/_for_contact_section.html`` for the client record's context."""
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(record_rows.draw(context))  # noqa: S308
