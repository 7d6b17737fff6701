"""Template tags of the interaction sections: ``{% load interaction_rows %}``."""

from typing import Any

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from crm.interactions import record_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def record_interactions(
    context: Context,
    interactions: Any,
    empty: object,
    show_lead: bool = False,
    hide_case: bool = False,
) -> SafeString:
    """Draw a record's interactions as ``_record_interactions.html`` does."""
    drawn = record_rows.draw(
        context, interactions, empty=empty, show_lead=show_lead, hide_case=hide_case
    )
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(drawn)  # noqa: S308


@register.simple_tag(takes_context=True)
def contact_interactions_card(context: Context) -> SafeString:
    """Draw ``interactions/_for_contact_section.html``, the record's card."""
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(record_rows.contact_card(context))  # noqa: S308
