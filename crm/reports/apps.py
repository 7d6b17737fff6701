from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Dashboard and reports."""

    name = "crm.reports"
    label = "reports"
    verbose_name = "Reports"
