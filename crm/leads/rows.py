"""The Leads list's own cells, drawn in Python (``crm.core.rows``)."""

from crm.core.rows import RowPage, badge, e, follow_up
from crm.leads.models import Lead


def client(lead: Lead, page: RowPage) -> str:
    """Return ``leads/lead_list.html#client``."""
    url = page.url("leads:lead_detail", "lead_id", lead.pk)
    return f'\n  <a href="{url}">{e(lead.contact.display_name)}</a>\n'


def status(lead: Lead, page: RowPage) -> str:
    """Return ``leads/lead_list.html#status`` (``leads/_status.html``)."""
    return f"\n  \n{badge(lead.status_colour, page.display(lead, 'status'))}\n\n"


def source(lead: Lead, page: RowPage) -> str:
    """Return ``leads/lead_list.html#source``: the introducer, else the source."""
    introducer = lead.introducer
    shown = introducer.name if introducer else page.display(lead, "source")
    return f"\n  \n    {e(shown)}\n  \n"


def follow_up_cell(lead: Lead, page: RowPage) -> str:
    """Return ``leads/lead_list.html#follow_up`` (``leads/_follow_up.html``)."""
    return f"\n  {follow_up(lead, page)}\n\n"
