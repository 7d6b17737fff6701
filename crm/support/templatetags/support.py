"""Template tags of the support pages: ``{% load support %}``."""

from typing import Any

from django import template

from crm.support.selectors import cases_label

register = template.Library()


@register.simple_tag
def support_cases_label(firm: Any) -> str:
    """Return what the firm calls its support cases ("Cases" or "Support cases")."""
    return cases_label(firm=firm)
