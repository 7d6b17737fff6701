"""The Cases list's own cells, drawn in Python (``crm.core.rows``)."""

from crm.cases.models import Case
from crm.core.rows import RowPage, e, follow_up


def kind(case: Case, page: RowPage) -> str:
    """Return ``advice/case_list.html#kind``."""
    return f"\n  {e(page.display(case, 'kind'))}\n"


def follow_up_cell(case: Case, page: RowPage) -> str:
    """Return ``advice/case_list.html#follow_up``."""
    return f"\n  {follow_up(case, page)}\n"
