"""Template tags of the advice pages: ``{% load advice %}``."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from crm.advice.factfind import draw
from crm.advice.factfind.page import SectionView

register = template.Library()


@register.simple_tag(takes_context=True)
def ff_section(context: Context, section: SectionView) -> SafeString:
    """Draw a Fact Find or D&N section as ``advice/_ff_section.html`` does."""
    return draw.draw(section, context.get("csrf_token"))
