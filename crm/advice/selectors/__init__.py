"""Reads for advice cases. Import the module and call ``selectors.x``."""

from crm.advice.selectors.cases import (
    ADVICE_KINDS,
    advice_case_get,
    case_moves,
    leads_without_case,
    stage_counts,
)

__all__ = [
    "ADVICE_KINDS",
    "advice_case_get",
    "case_moves",
    "leads_without_case",
    "stage_counts",
]
