from django.apps import AppConfig


class AdviceConfig(AppConfig):
    """Mortgage and protection cases: their kinds, pages, wizard and details."""

    name = "crm.advice"
    label = "advice"
    verbose_name = "Advice"

    def ready(self) -> None:
        from crm.core import audit as core_audit

        # The audit log names these records as members know them.
        core_audit.name_records(
            {
                "advice.factfind": "Fact Find",
                "advice.factfindaddress": "Fact Find address",
                "advice.factfindcommitment": "Fact Find commitment",
                "advice.factfindpolicy": "Fact Find policy",
                "advice.demandsneeds": "Demands & Needs",
                "advice.mortgagedetails": "Mortgage details",
            }
        )
        from crm.advice import demo as advice_demo
        from crm.advice import registry
        from crm.core import demo, nav
        from crm.core.permissions import Perm

        registry.register()
        nav.register(
            nav.MAIN,
            nav.NavItem(
                "Cases", "advice:case_list", order=30, module="advice", prefix="/cases/"
            ),
        )
        nav.register(
            nav.ACTIONS,
            nav.NavItem(
                "+ New Case",
                "advice:wizard_start",
                order=10,
                module="advice",
                perm=Perm.EDIT_CASES,
                prefix="/cases/new/",
                group="new_case",
                choice_label="Mortgage or protection case",
            ),
        )
        demo.register(advice_demo.seed)
