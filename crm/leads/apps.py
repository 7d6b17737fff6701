from django.apps import AppConfig


class LeadsConfig(AppConfig):
    """Leads and the pipeline board."""

    name = "crm.leads"
    label = "leads"
    verbose_name = "Leads"

    def ready(self) -> None:
        from crm.core import audit as core_audit

        # The audit log names these records as members know them.
        core_audit.name_records(
            {
                "leads.lead": "Lead",
            }
        )
        from crm.core import demo, nav
        from crm.leads import demo as leads_demo
        from crm.leads import registry

        registry.register()

        nav.register(
            nav.MAIN,
            nav.NavItem(
                "Leads", "leads:lead_board", order=20, module="advice", prefix="/leads/"
            ),
        )
        demo.register(leads_demo.seed)
        from crm.core import rollups
        from crm.leads.tally import services as tally

        # The conversion report's counts (``rollups_rebuild`` repairs them).
        rollups.register("leads", tally.rebuild, sources=("leads.Lead",))
        from crm.contacts import renames
        from crm.leads import services

        # Leads keep their client's sort name (the name sort).
        renames.register("leads.client_sort_name", services.lead_client_names_refresh)
