"""Cells every case list shares, drawn in Python (``crm.core.rows``).

Each function draws what its template draws, whitespace included; the lists'
tests draw rows both ways and compare.
"""

from crm.cases import kinds
from crm.cases.models import Case
from crm.core.rows import RowPage, badge, e


def reference(case: Case, page: RowPage) -> str:
    """Return a list's reference cell: a link to the case's page."""
    url = page.url(kinds.get(case.kind).detail_url_name, "case_id", case.pk)
    return f'\n  <a href="{url}">{e(case.reference)}</a>\n'


def clients(case: Case, page: RowPage) -> str:
    """Return ``{% include "cases/_clients.html" with case=row %}`` in a cell."""
    clients = case.clients
    if not clients:
        return '\n  \n\n  <span class="muted">No client</span>\n\n\n'
    last = len(clients) - 1
    links = [
        '\n  <a href="{}">{}</a>{}\n'.format(
            page.url("contacts:contact_detail", "contact_id", client.contact_id),
            e(client.display_name),
            " &amp; " if i < last else "",
        )
        for i, client in enumerate(clients)
    ]
    return "\n  \n{}\n\n".format("".join(links))


def status(case: Case, page: RowPage) -> str:
    """Return ``{% include "cases/_status.html" with case=row %}`` in a cell."""
    return f"\n  \n{badge(case.status_colour, page.display(case, 'status'))}\n\n"
