"""Template tags of the support pages: ``{% load support %}``."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from crm.support import trend
from crm.support.selectors import cases_label

register = template.Library()


@register.simple_tag
def support_cases_label(firm: Any) -> str:
    """Return what the firm calls its support cases ("Cases" or "Support cases")."""
    return cases_label(firm=firm)


@register.simple_tag
def concern_trend_chart(chart: trend.TrendChart) -> SafeString:
    """Draw ``{% include "support/_concern_trend.html" with trend=chart %}``."""
    return mark_safe(trend.draw(chart))  # noqa: S308 - every value escaped in draw
