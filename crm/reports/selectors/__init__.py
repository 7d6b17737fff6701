"""Reads for the dashboard and the reports (L1, L2).

Every report is computed by the database: one or two aggregate queries
grouped by stage, adviser, month, provider or status, never a loop over rows.
"""

from crm.reports.selectors.advice import (
    conversion_report,
    pipeline_report,
    premiums_report,
    submissions_report,
)
from crm.reports.selectors.base import Column, ReportQuery, Row, Table
from crm.reports.selectors.dashboard import dashboard_for_member, dashboard_summary
from crm.reports.selectors.income import (
    income_by_adviser_report,
    income_by_introducer_report,
)
from crm.reports.selectors.support import (
    caseload_report,
    cases_report,
    outcomes_report,
)

__all__ = [
    "Column",
    "ReportQuery",
    "Row",
    "Table",
    "caseload_report",
    "cases_report",
    "conversion_report",
    "dashboard_for_member",
    "dashboard_summary",
    "income_by_adviser_report",
    "income_by_introducer_report",
    "outcomes_report",
    "pipeline_report",
    "premiums_report",
    "submissions_report",
]
