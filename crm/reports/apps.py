from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Dashboard and reports."""

    name = "crm.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from crm.core import audit, nav
        from crm.core.permissions import Perm

        nav.register(
            nav.MAIN,
            nav.NavItem("Dashboard", "reports:dashboard", order=10),
            nav.NavItem(
                "Reports",
                "reports:report_index",
                order=70,
                perm=Perm.VIEW_REPORTS,
                prefix="/reports/",
            ),
        )
        audit.name_records({"reports.report": "Report"})
