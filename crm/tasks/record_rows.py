"""A record's task list drawn in Python, as ``tasks/_record_tasks.html`` draws it.

Through the template language a task costs about 870 Python calls (a lookup
per value, the ``date`` filter, ``{% url %}``, the CSRF tag); the client
record lists ten. ``{% record_tasks %}`` draws the list here (``crm.core.rows``);
the template stays the reference, and a test draws varied tasks both ways and
compares them. Each piece keeps the template's whitespace (the newlines and
indents around its tags).
"""

from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import quote

from django.template import Context
from django.utils import timezone

from crm.cases import kinds
from crm.core.links import quick_reverse
from crm.core.rows import RowPage, csrf_input, e, return_to
from crm.core.templatetags.dates import DATE_FORMATS
from crm.tasks.models import Task

ITEM = (
    '\n      \n        <li class="task-row{overdue}">\n          {title}\n          '
    "{case}\n          {state}\n          <br>\n          "
    '<span class="muted">\n            {due}\n            · {assignee}\n'
    "            {category}\n            {duration}\n          </span>\n          "
    "{complete}\n        </li>\n      \n    "
)
COMPLETE = (
    '\n            <form method="post" action="{url}" class="inline-form">'
    "\n              {csrf}"
    '\n              <input type="hidden" name="next" value="{next}">'
    '\n              <button type="submit" class="button button--small">'
    '\n                Complete<span class="sr-only"> “{title}”</span>'
    "\n              </button>\n            </form>\n          "
)
DONE = '\n            <span class="badge badge--green">Done</span>\n          '
OVERDUE = '\n            <span class="badge badge--red">Overdue</span>\n          '
DUE_TODAY = (
    '\n            <span class="badge badge--amber">Due today</span>\n          '
)
_ISO = DATE_FORMATS["Y-m-d"]
NO_DATE = "\n              No due date\n            "


class _List:
    """What the rows of one list share: links, the viewer's rights, today."""

    def __init__(self, context: Context) -> None:
        self.page = RowPage(context)
        self.can_edit = "edit_cases" in self.page.permissions
        request = context.get("request")
        path = str(request.get_full_path()) if request is not None else ""
        self.path = e(path)
        self.path_quoted = e(quote(path, safe="/"))
        self.csrf = csrf_input(context.get("csrf_token")) if self.can_edit else ""


def _item(task: Task, rows: _List, today: date, hide_case: bool) -> str:
    """Return one ``<li>`` of the list, with the whitespace around it."""
    page = rows.page
    title = e(task.title)
    day = task.due_date
    past = day is not None and day < today
    if rows.can_edit:
        url = page.url("tasks:task_edit", "task_id", task.pk)
        shown = (
            f'\n            <a href="{url}?next={rows.path_quoted}">{title}</a>'
            "\n          "
        )
    else:
        shown = f"\n            {title}\n          "
    case = ""
    if task.case_id and not hide_case:
        found: Any = task.case
        url = page.url(kinds.get(found.kind).detail_url_name, "case_id", found.pk)
        case = (
            f'\n            <a href="{url}" class="badge badge--blue">'
            f"On {e(found.reference)}</a>\n          "
        )
    if task.status == "done":
        state = DONE
    elif past:
        state = OVERDUE
    elif day == today:
        state = DUE_TODAY
    else:
        state = ""
    if day is not None:
        due = (
            f'\n              Due <time datetime="{_ISO(day)}">'
            f"{page.day(day)}</time>\n            "
        )
    else:
        due = NO_DATE
    assignee: Any = task.assignee
    category: Any = task.category
    complete = ""
    if task.status == "open" and rows.can_edit:
        complete = COMPLETE.format(
            url=page.url("tasks:task_complete", "task_id", task.pk),
            csrf=rows.csrf,
            next=rows.path,
            title=title,
        )
    return ITEM.format(
        overdue=" task-row--overdue" if task.status == "open" and past else "",
        title=shown,
        case=case,
        state=state,
        due=due,
        assignee=e((assignee.full_name if assignee else "") or "nobody yet"),
        category=f"· {e(category.name)}" if category else "",
        duration=f"· {e(task.duration_minutes)} min" if task.duration_minutes else "",
        complete=complete,
    )


def draw(
    context: Context,
    tasks: Iterable[Task],
    *,
    empty: object,
    hide_case: bool = False,
    today: date,
) -> str:
    """Return ``tasks/_record_tasks.html`` drawn for ``tasks`` (escaped)."""
    found = list(tasks)
    if not found:
        return f'\n\n\n  <p class="muted">{e(empty)}</p>\n\n'
    rows = _List(context)
    items = "".join([_item(task, rows, today, hide_case) for task in found])
    return f'\n\n\n  <ul class="plain-list">\n    {items}\n  </ul>\n\n'


def contact_card(context: Context) -> str:
    """Return ``tasks/_for_contact_section.html``: the client record's Tasks card.

    Without the file's last newline, which the wrapper template gives. The
    frame (heading, Add task) as the reference draws it, then the list.
    """
    contact = context["contact"]
    add = ""
    if "edit_cases" in RowPage(context).permissions:
        url = e(quick_reverse("tasks:task_create"))
        query = f"?contact={e(contact.pk)}&amp;next={return_to(context)}"
        name = e(contact.display_name)
        add = (
            '\n      <a class="button button--small"'
            f'\n         href="{url}{query}">'
            f'Add task<span class="sr-only"> for {name}</span></a>\n    '
        )
    tasks = draw(
        context,
        context.get("tasks") or (),
        empty="No tasks for this client.",
        today=timezone.localdate(),
    )
    return (
        '\n<section class="card" aria-labelledby="tasks-heading">'
        '\n  <div class="card__header">\n    <h2 id="tasks-heading">Tasks</h2>'
        f"\n    {add}\n  </div>\n  {tasks}\n</section>"
    )
