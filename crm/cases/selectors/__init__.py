"""Reads about cases. Import the module and call ``selectors.x``."""

from crm.cases.selectors.cases import (
    ADVICE_KINDS,
    CASE_SORTS,
    DEFAULT_SORT,
    CaseSearch,
    case_follow_up_list,
    case_get,
    case_history,
    case_hits,
    case_list,
    case_list_for_contact,
    case_list_for_lead,
    case_moves,
    case_search,
    leads_without_case,
    visible_to,
)

__all__ = [
    "ADVICE_KINDS",
    "CASE_SORTS",
    "DEFAULT_SORT",
    "CaseSearch",
    "case_follow_up_list",
    "case_get",
    "case_history",
    "case_hits",
    "case_list",
    "case_list_for_contact",
    "case_list_for_lead",
    "case_moves",
    "case_search",
    "leads_without_case",
    "visible_to",
]
