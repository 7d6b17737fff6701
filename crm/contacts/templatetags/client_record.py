"""Template tags of the client record page: ``{% load client_record %}``."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from crm.contacts import record_draw

register = template.Library()


@register.simple_tag(takes_context=True)
def record_head(context: Context) -> SafeString:
    """Draw ``contacts/_record_head.html`` (breadcrumbs, heading, warning)."""
    return mark_safe(record_draw.head(context))  # noqa: S308 - every value escaped


@register.simple_tag(takes_context=True)
def record_details(context: Context) -> SafeString:
    """Draw ``contacts/_record_details.html`` (Details and People here)."""
    return mark_safe(record_draw.details(context))  # noqa: S308 - every value escaped
