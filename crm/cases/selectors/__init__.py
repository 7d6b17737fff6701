"""Reads about cases of every kind. Import the module and call ``selectors.x``."""

from crm.cases.selectors.case_read import CASE_RELATED, case_get
from crm.cases.selectors.cases import (
    CaseSearch,
    applicants_prefetch,
    case_follow_up_list,
    case_history,
    case_history_rows,
    case_hits,
    case_list_for_contact,
    case_list_for_lead,
    case_rows_for_contact,
    case_search,
    recent_activity,
)
from crm.cases.selectors.clients import attach_clients
from crm.cases.selectors.listing import (
    CASE_SORTS,
    DEFAULT_SORT,
    ROW_FIELDS,
    TABS,
    CaseListQuery,
    case_filtered,
    case_list,
    case_page,
)

__all__ = [
    "CASE_RELATED",
    "CASE_SORTS",
    "DEFAULT_SORT",
    "ROW_FIELDS",
    "TABS",
    "CaseListQuery",
    "CaseSearch",
    "applicants_prefetch",
    "attach_clients",
    "case_filtered",
    "case_follow_up_list",
    "case_get",
    "case_history",
    "case_history_rows",
    "case_hits",
    "case_list",
    "case_list_for_contact",
    "case_list_for_lead",
    "case_page",
    "case_rows_for_contact",
    "case_search",
    "recent_activity",
]
