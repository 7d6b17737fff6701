"""A record's interaction list drawn in Python, as ``_record_interactions.html`` does.

Through the template language an entry costs about 450 Python calls (a lookup
per value, the ``date`` and ``linebreaksbr`` filters, ``{% url %}``); the
client record lists ten. ``{% record_interactions %}`` draws the list here
(``crm.core.rows``); ``interactions/_record_interactions.html`` stays the
reference, and a test draws varied entries both ways and compares them. Each
piece keeps the template's whitespace (the newlines and indents around its
tags).
"""

from collections.abc import Iterable
from typing import Any

from django.template import Context
from django.utils.text import normalize_newlines

from crm.cases import kinds
from crm.core.links import quick_reverse
from crm.core.rows import RowPage, e, return_to
from crm.core.templatetags.dates import DATE_FORMATS, DATETIME_FORMATS
from crm.interactions.models import Interaction

ITEM = (
    "\n      <li>\n        <strong>\n          {kind}\n        </strong>\n        "
    '{lead}\n        {case}\n        <br>\n        <span class="muted">'
    '\n          <time datetime="{iso}">{shown}</time>\n          {duration}'
    "\n          · by {author}\n        </span>\n        <div>{notes}</div>"
    "\n      </li>\n    "
)
KINDS = {
    "note": "\n            Note\n          ",
    "touchpoint": "\n            Touchpoint\n          ",
}
_ISO = DATE_FORMATS["c"]
_SHOWN = DATETIME_FORMATS["j M Y, H:i"]


def _notes(text: str) -> str:
    """Return ``{{ text|linebreaksbr }}``."""
    return e(normalize_newlines(text)).replace("\n", "<br>")


def _item(entry: Interaction, page: RowPage, show_lead: bool, hide_case: bool) -> str:
    """Return one ``<li>`` of the list, with the whitespace around it."""
    kind = KINDS.get(entry.kind)
    if kind is None:
        found_type: Any = entry.interaction_type
        name = (found_type.name if found_type is not None else "") or "Interaction"
        kind = f"\n            {e(name)}\n          "
    lead = ""
    if show_lead and entry.lead_id:
        url = page.url("leads:lead_detail", "lead_id", entry.lead_id)
        lead = (
            f'\n          <a href="{url}" class="badge badge--blue">'
            f"On lead #{entry.lead_id}</a>\n        "
        )
    case = ""
    if entry.case_id and not hide_case:
        found: Any = entry.case
        url = page.url(kinds.get(found.kind).detail_url_name, "case_id", found.pk)
        case = (
            f'\n          <a href="{url}" class="badge badge--blue">'
            f"On {e(found.reference)}</a>\n        "
        )
    when = entry.occurred_at
    # ``timezone.localtime`` of an aware value, with the zone read once a page.
    local = when.astimezone(page.zone) if when.utcoffset() is not None else when
    author: Any = entry.created_by
    return ITEM.format(
        kind=kind,
        lead=lead,
        case=case,
        iso=e(_ISO(local)),
        shown=e(_SHOWN(local)),
        duration=f"· {e(entry.duration_minutes)} min" if entry.duration_minutes else "",
        author=e((author.full_name if author is not None else "") or "a former member"),
        notes=_notes(entry.notes),
    )


def draw(
    context: Context,
    interactions: Iterable[Interaction],
    *,
    empty: object,
    show_lead: bool = False,
    hide_case: bool = False,
) -> str:
    """Return ``interactions/_record_interactions.html`` drawn (escaped)."""
    found = list(interactions)
    if not found:
        return f'\n\n  <p class="muted">{e(empty)}</p>\n\n'
    page = RowPage(context)
    items = "".join([_item(entry, page, show_lead, hide_case) for entry in found])
    return f'\n\n  <ul class="plain-list">\n    {items}\n  </ul>\n\n'


def contact_card(context: Context) -> str:
    """Return ``interactions/_for_contact_section.html``: the record's card.

    Without the file's last newline, which the wrapper template gives. The
    frame (heading, Log interaction, Add note) as the reference draws it,
    then the list with the client's leads' entries.
    """
    actions = ""
    if "edit_cases" in RowPage(context).permissions:
        query = f"?contact={e(context['contact'].pk)}&amp;next={return_to(context)}"
        log = e(quick_reverse("interactions:interaction_create"))
        note = e(quick_reverse("interactions:note_create"))
        actions = (
            '\n      <div class="page-header__actions">'
            '\n        <a class="button button--small"'
            f'\n           href="{log}{query}">Log interaction</a>'
            '\n        <a class="button button--small"'
            f'\n           href="{note}{query}">Add note</a>\n      </div>\n    '
        )
    entries = draw(
        context,
        context.get("interactions") or (),
        empty=EMPTY_FOR_CONTACT,
        show_lead=True,
    )
    return (
        '\n<section class="card" aria-labelledby="interactions-heading">\n  '
        '\n  <div class="page-header">'
        '\n    <h2 id="interactions-heading">Interactions and notes</h2>'
        f"\n    {actions}\n  </div>\n  {entries}\n</section>"
    )


EMPTY_FOR_CONTACT = (
    "No interactions or notes yet. Log calls, visits and meetings here so the"
    " whole team can see them."
)
