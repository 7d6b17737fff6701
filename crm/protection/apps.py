from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    """Protection policies, quote sourcing and the top-up guard (G1-G3)."""

    name = "crm.protection"
    label = "protection"
    verbose_name = "Protection"

    def ready(self) -> None:
        from crm.core import audit, demo
        from crm.protection import demo as protection_demo
        from crm.protection import registry

        audit.name_records({"protection.policy": "Protection policy"})
        registry.register()
        demo.register(protection_demo.seed)
        from crm.cases.people import case_people_moves
        from crm.core import rollups
        from crm.protection.tally import services as tally

        # The premiums report's sums (``rollups_rebuild`` repairs them); the
        # policies count under their case's people, so follow a case's moves.
        rollups.register(
            "protection", tally.rebuild, sources=("protection.Policy", "cases.Case")
        )
        case_people_moves.register("protection.tally", tally.people_moved)
