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
        from crm.cases.people import case_people_moves
        from crm.core import rollups
        from crm.income.tally import services as tally

        # The Income page's sums (``rollups_rebuild`` repairs them); a case's
        # new owner or introducer takes its lines with it.
        rollups.register(
            "income", tally.rebuild, sources=("income.IncomeLine", "cases.Case")
        )
        case_people_moves.register("income.tally", tally.people_moved)
