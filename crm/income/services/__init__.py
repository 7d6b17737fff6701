"""Writes of income: lines, receipts, clawbacks and the firm's split (L3).

Import the module and call ``services.x``.
"""

from crm.income.services.clawbacks import (
    clawback_amount,
    months_between,
    policy_clawback,
)
from crm.income.services.firm import income_export, income_settings_update
from crm.income.services.lines import (
    ADVICE_KINDS,
    MAX_INDEMNITY_MONTHS,
    PENNY,
    IncomeLineData,
    income_line_add,
    income_line_delete,
    income_line_receive,
    income_line_update,
    shares_for,
)

__all__ = [
    "ADVICE_KINDS",
    "MAX_INDEMNITY_MONTHS",
    "PENNY",
    "IncomeLineData",
    "clawback_amount",
    "income_export",
    "income_line_add",
    "income_line_delete",
    "income_line_receive",
    "income_line_update",
    "income_settings_update",
    "months_between",
    "policy_clawback",
    "shares_for",
]
