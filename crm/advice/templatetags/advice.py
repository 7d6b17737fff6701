"""Template tags of the advice pages: ``{% load advice %}``."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from crm.advice import case_head_draw, mortgage_draw
from crm.advice.factfind import draw
from crm.advice.factfind.page import SectionView
from crm.core.rows import csrf_input

register = template.Library()


@register.simple_tag(takes_context=True)
def ff_section(context: Context, section: SectionView) -> SafeString:
    """Draw a Fact Find or D&N section as ``advice/_ff_section.html`` does.

    The CSRF input is drawn once a render (the page's sections share it).
    """
    cache = context.render_context
    csrf = cache.get(_CSRF)
    if csrf is None:
        csrf = cache[_CSRF] = csrf_input(context.get("csrf_token"))
    return draw.draw(section, None, csrf=csrf)


_CSRF = "crm.advice.ff_section.csrf"


@register.simple_tag(takes_context=True)
def readiness_card(context: Context) -> SafeString:
    """Draw the readiness card as ``{% include "advice/_readiness.html" %}`` does."""
    request = context.get("request")
    html = draw.readiness(
        context.get("blockers") or [],
        getattr(request, "principal", None),
        oob=bool(context.get("oob")),
    )
    return mark_safe(html)  # noqa: S308 - every value escaped in draw


@register.simple_tag(takes_context=True)
def mortgage_details(context: Context) -> SafeString:
    """Draw ``advice/_mortgage_details.html`` for the case page's context."""
    return mark_safe(mortgage_draw.draw(context))  # noqa: S308 - every value escaped


@register.simple_tag(takes_context=True)
def case_head(context: Context) -> SafeString:
    """Draw ``advice/_case_head.html`` (heading, Status, Overview) for the page."""
    return mark_safe(case_head_draw.draw(context))  # noqa: S308 - every value escaped


@register.simple_tag(takes_context=True)
def facts(context: Context) -> SafeString:
    """Draw ``advice/_facts.html``: Fact Find, Demands & Needs and readiness."""
    return mark_safe(draw.facts(context))  # noqa: S308 - every value escaped in draw
