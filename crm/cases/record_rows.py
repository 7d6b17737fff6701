"""A client record's Cases card drawn in Python, as ``_for_contact_section.html``.

Through the template language the card cost about 1,100 Python calls (a
lookup per value, the status badge's two includes a case). ``{% contact_cases_card %}``
draws it here; the template stays the reference, and a test draws varied
cards both ways and compares them. Each piece keeps the template's whitespace.
"""

from typing import Any

from django.template import Context

from crm.core.rows import RowPage, badge, e

HEAD = (
    '<section class="card" aria-labelledby="cases-heading">'
    '\n  <div class="card__header">\n    <h2 id="cases-heading">Cases</h2>'
    "\n  </div>\n  "
)
ITEM = (
    '\n        <li>\n          <a href="{url}">{reference}</a>\n          {status}'
    '\n          <span class="muted">\n            {title}'
    "\n            {kind} · {owner}\n          </span>\n        </li>\n      "
)


def draw(context: Context) -> str:
    """Return the card for the client record's template context."""
    cases = context.get("cases")
    if not cases:
        contact = context.get("contact")
        name = e(contact.display_name) if contact is not None else ""
        body = f'\n    <p class="muted">No cases for {name}.</p>\n  '
    else:
        page = RowPage(context)
        items = "".join(_item(case, page) for case in cases)
        body = f'\n    <ul class="plain-list">\n      {items}\n    </ul>\n  '
    return f"{HEAD}{body}\n</section>"


def _item(case: Any, page: RowPage) -> str:
    owner = case.owner
    shown = owner.full_name if owner is not None else ""
    return ITEM.format(
        url=e(case.get_absolute_url()),
        reference=e(case.reference),
        status=f"\n{badge(case.status_colour, page.display(case, 'status'))}\n",
        title=f"{e(case.title)} ·" if case.title else "",
        kind=e(page.display(case, "kind")),
        owner=e(shown) if shown else "no owner",
    )
