"""The dashboard and the reports' pages."""

from crm.reports.views.dashboard import dashboard
from crm.reports.views.reports import report_detail, report_export, report_index

__all__ = ["dashboard", "report_detail", "report_export", "report_index"]
