"""The Support cases list's own cells, drawn in Python (``crm.core.rows``).

A case without its ``SupportDetails`` row draws as the template draws a
missing value: empty.
"""

from crm.cases.models import Case
from crm.core.rows import RowPage, badge, e
from crm.support.models import SupportDetails


def _details(case: Case) -> SupportDetails | None:
    return getattr(case, "support", None)


def title(case: Case, page: RowPage) -> str:
    """Return ``support/case_list.html#title``."""
    details = _details(case)
    pathway = details.pathway if details is not None else None
    more = f'<br><span class="muted">{e(pathway.name)}</span>' if pathway else ""
    return f"\n  {e(case.title)}\n  {more}\n"


def start(case: Case, page: RowPage) -> str:
    """Return ``support/case_list.html#start``."""
    details = _details(case)
    day = details.start_date if details is not None else None
    if not day:
        return '\n  \n    <span class="muted">—</span>\n  \n'
    return f'\n  \n    <time datetime="{day.isoformat()}">{page.day(day)}</time>\n  \n'


def concern(case: Case, page: RowPage) -> str:
    """Return ``support/case_list.html#concern`` (``support/_concern.html``)."""
    details = _details(case)
    if details is None:  # both values are "", and "concern-" + "" is "concern-"
        return f"\n  \n{badge('concern-', '')}\n\n"
    level = details.concern_level
    colour = f"concern-{level}" if isinstance(level, str) else ""
    return f"\n  \n{badge(colour, page.display(details, 'concern_level'))}\n\n"
