"""The client record's timeline entries drawn in Python, as ``_timeline_items.html``.

Through the template language an entry cost about 45 Python calls (the two
``date`` filters, the link's condition, the lookups), twenty a page.
``{% timeline_items %}`` draws them here; the template stays the reference,
and a test draws varied entries both ways and compares them.
"""

from typing import Any

from django.template import Context

from crm.core.rows import RowPage, e
from crm.core.templatetags.dates import DATE_FORMATS, DATETIME_FORMATS

# Task entries link to the task only for members who may edit cases.
TASK_TYPES = ("task_created", "task_completed")
ITEM = (
    "\n              <li>"
    '\n                <time datetime="{iso}">{when}</time>'
    "\n                <strong>{kind}</strong>\n                {summary}"
    '\n                <span class="muted">by {actor}</span>\n              </li>'
    "\n            "
)
LINKED = (
    "\n                  —\n                  "
    '\n                    <a href="{link}">{summary}</a>\n                  '
    "\n                "
)
PLAIN = (
    "\n                  —\n                  "
    "\n                    {summary}\n                  \n                "
)


def draw(context: Context, items: Any) -> str:
    """Return the entries ``items`` for the record's template context."""
    page = RowPage(context)
    can_edit = "edit_cases" in page.permissions
    when = DATETIME_FORMATS["j M Y, H:i"]
    iso = DATE_FORMATS["c"]
    out = []
    for event in items:
        created = event.created_at.astimezone(page.zone)
        summary = ""
        if event.summary:
            text = e(event.summary)
            if event.link and (can_edit or event.type not in TASK_TYPES):
                summary = LINKED.format(link=e(event.link), summary=text)
            else:
                summary = PLAIN.format(summary=text)
        actor = event.actor
        name = actor.full_name if actor is not None else ""
        out.append(
            ITEM.format(
                iso=e(iso(created)),
                when=e(when(created)),
                kind=e(page.display(event, "type")),
                summary=summary,
                actor=e(name) if name else "the system",
            )
        )
    return "".join(out)
