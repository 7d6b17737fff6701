from django.apps import AppConfig


class IncomeConfig(AppConfig):
    """Income on advice cases: fees, commission, clawbacks and their split (L3)."""

    name = "crm.income"
    label = "income"
    verbose_name = "Income"

    def ready(self) -> None:
        from crm.core import audit, demo, nav
        from crm.core.permissions import Perm
        from crm.income import demo as income_demo
        from crm.income import registry

        audit.name_records(
            {
                "income.incomeline": "Income line",
                "income.incomesettings": "Income shares",
            }
        )
        registry.register()
        nav.register(
            nav.MAIN,
            nav.NavItem(
                "Income",
                "income:income_page",
                order=75,
                perm=Perm.VIEW_REPORTS,
                module="advice",
                prefix="/income/",
            ),
        )
        nav.register(
            nav.SETTINGS,
            nav.NavItem(
                "Income shares",
                "income:income_settings",
                order=45,
                perm=Perm.MANAGE_FIRM,
                module="advice",
            ),
        )
        demo.register(income_demo.seed)
