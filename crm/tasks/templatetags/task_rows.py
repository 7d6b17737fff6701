"""Template tags of the task sections: ``{% load task_rows %}``."""

from typing import Any

from django import template
from django.template import Context
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from crm.tasks import record_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def record_tasks(
    context: Context, tasks: Any, empty: object, hide_case: bool = False
) -> SafeString:
    """Draw a record's task list as ``tasks/_record_tasks.html`` does."""
    drawn = record_rows.draw(
        context, tasks, empty=empty, hide_case=hide_case, today=timezone.localdate()
    )
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(drawn)  # noqa: S308


@register.simple_tag(takes_context=True)
def contact_tasks_card(context: Context) -> SafeString:
    """Draw ``tasks/_for_contact_section.html``, the client record's Tasks card."""
    # Every value is escaped as the template's ``{{ }}`` would.
    return mark_safe(record_rows.contact_card(context))  # noqa: S308
