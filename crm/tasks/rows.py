"""The Tasks list's rows, drawn in Python (``crm.core.rows``).

``tasks/task_list.html#row`` stays the reference: it still draws the row a
one-click complete or reopen sends back, and a test draws varied rows both
ways and compares them.
"""

import unicodedata
from typing import Any
from urllib.parse import quote

from django.template.defaultfilters import truncatechars
from django.template.defaulttags import CsrfTokenNode

from crm.cases import kinds
from crm.cases.models import Case
from crm.core.rows import RowPage, badge, e, follow_up
from crm.tasks.choices import STATUS_COLOURS, TaskStatus
from crm.tasks.follow_ups import FollowUp
from crm.tasks.models import Task

ROW = """
  <tr id="task-{pk}"
      class="task-row{overdue}">
    <td>
      {title}
      {priority}
      {duration}
      {description}
    </td>
    <td>
      {about}
    </td>
    <td class="nowrap">
      {due}
    </td>
    <td>{assignee}</td>
    <td>{category}</td>
    <td>
      {status}
    </td>
    <td class="actions">
      {actions}
    </td>
  </tr>
"""
# The indented blank lines are the template's ``{% if %}`` and ``{% url as %}``.
ACTIONS = (
    "\n        \n          \n        \n"
    """        <form method="post"
              action="{url}"
              class="inline-form"
              hx-post="{url}"
              hx-target="#task-{pk}"
              hx-swap="outerHTML"
              hx-include="#task-filters">
          {csrf}
          <input type="hidden" name="next" value="{next}">
          <button type="submit"
                  id="task-{pk}-status"
                  class="button button--small">
"""
    "            \n              {verb}\n            \n"
    """            <span class="sr-only">“{title}”</span>
          </button>
        </form>
"""
    "      "
)
HIGH = '<span class="badge badge--amber">High priority</span>'
OVERDUE = '<br>\n            <span class="badge badge--red">Overdue</span>'
DUE_TODAY = '<br>\n            <span class="badge badge--amber">Due today</span>'


def _description(text: str) -> str:
    """Return ``{{ text|truncatechars:90 }}``, without its per-letter loop if short."""
    normal = unicodedata.normalize("NFC", text)
    return e(normal if len(normal) <= 90 else truncatechars(text, 90))


def _about(task: Task, page: RowPage) -> str:
    """Return what the task is about: its case, lead or contact, linked."""
    contact = task.contact
    if task.case:
        case = task.case
        url = page.url(kinds.get(case.kind).detail_url_name, "case_id", case.pk)
        name = (
            f'<span class="muted">· {e(contact.display_name)}</span>' if contact else ""
        )
        return (
            f'\n        <a href="{url}">{e(case.reference)}</a>\n        {name}\n      '
        )
    if task.lead_id:
        url = page.url("leads:lead_detail", "lead_id", task.lead_id)
        name = e(contact.display_name) if contact is not None else ""
        return (
            f'\n        <a href="{url}">{name}</a>'
            '\n        <span class="muted">(lead)</span>\n      '
        )
    if contact:
        url = page.url("contacts:contact_detail", "contact_id", contact.pk)
        return f'\n        <a href="{url}">{e(contact.display_name)}</a>\n      '
    return '\n        <span class="muted">—</span>\n      '


def _due(task: Task, page: RowPage) -> str:
    """Return the due date, with Overdue or Due today while the task is open."""
    day = task.due_date
    if not day:
        return '\n        <span class="muted">No date</span>\n      '
    state = ""
    if task.status == "open":
        shown = ""
        if day < page.today:
            shown = f"\n            {OVERDUE}\n          "
        elif day == page.today:
            shown = f"\n            {DUE_TODAY}\n          "
        state = f"\n          {shown}\n        "
    return (
        f'\n        <time datetime="{day.isoformat()}">{page.day(day)}</time>'
        f"\n        {state}\n      "
    )


def _status_labels() -> dict[str, str]:
    """Return each status's label in the page's language (``get_status_display``)."""
    return {value: str(label) for value, label in TaskStatus.choices}


def row(task: Task, page: RowPage) -> str:
    """Return ``tasks/task_list.html#row`` for ``task``."""
    can_edit = "edit_cases" in page.permissions
    pk = task.pk
    title = e(task.title)
    status = task.status
    is_open = status == "open"
    if can_edit:
        next_ = page.once("next", lambda: _next(page))
        url = page.url("tasks:task_edit", "task_id", pk)
        shown = f'<a href="{url}?next={next_[0]}">{title}</a>'
        verb = "tasks:task_complete" if is_open else "tasks:task_reopen"
        actions = ACTIONS.format(
            url=page.url(verb, "task_id", pk),
            pk=pk,
            csrf=page.once("csrf", lambda: CsrfTokenNode().render(page.context)),
            next=next_[1],
            verb="Complete" if is_open else "Reopen",
            title=title,
        )
    else:
        shown = title
        actions = ""
    description = task.description
    assignee = task.assignee
    category = task.category
    labels = page.once("task_status_labels", _status_labels)
    return ROW.format(
        pk=pk,
        overdue=" task-row--overdue"
        if is_open and task.due_date and task.due_date < page.today
        else "",
        title=f"\n        {shown}\n      ",
        priority=HIGH if task.priority == "high" else "",
        duration=f'<span class="muted">· {e(task.duration_minutes)} min</span>'
        if task.duration_minutes
        else "",
        description=f'\n        <br>\n        <span class="muted">'
        f"{_description(description)}</span>\n      "
        if description
        else "",
        about=_about(task, page),
        due=_due(task, page),
        assignee=e((assignee.full_name if assignee else "") or "Nobody yet"),
        category=e((category.name if category else "") or "—"),
        status=badge(STATUS_COLOURS.get(status, ""), labels.get(status, status)),
        actions=actions,
    )


def _next(page: RowPage) -> tuple[str, str]:
    """Return ``return_to`` as ``|urlencode`` and as ``{{ }}`` draw it."""
    return_to: Any = page.get("return_to")
    return e(quote(str(return_to), safe="/")), e(return_to)


FOLLOW_UP_ROW = (
    '\n  \n    <tr class="task-row{overdue}">\n      <td>{follow_up}</td>'
    "\n      <td>\n        \n          {clients}\n        \n      </td>"
    "\n      <td>\n        \n          {about}\n        \n      </td>"
    "\n      <td>\n        \n          \n{status}\n\n        \n      </td>"
    "\n    </tr>\n  \n"
)


def follow_up_row(row: FollowUp, page: RowPage) -> str:
    """Return ``tasks/task_list.html#follow_up_row`` for a lead or case."""
    item = row.item
    if isinstance(item, Case):
        names = " &amp; ".join([e(client.display_name) for client in item.clients])
        url = page.url(kinds.get(item.kind).detail_url_name, "case_id", item.pk)
        about = (
            f'<a href="{url}">{e(item.reference)}</a>\n          '
            f'<span class="muted">· {e(page.display(item, "kind"))} case</span>'
        )
    else:
        names = e(item.contact.display_name)
        url = page.url("leads:lead_detail", "lead_id", item.pk)
        about = f'<a href="{url}">Lead #{item.pk}</a>'
    state = getattr(item, "follow_up_state", "")
    return FOLLOW_UP_ROW.format(
        overdue=" task-row--overdue" if state == "overdue" else "",
        follow_up=follow_up(item, page),
        clients=names,
        about=about,
        status=badge(item.status_colour, page.display(item, "status")),
    )
