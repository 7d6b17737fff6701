from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    """Interactions and notes."""

    name = "crm.interactions"
    label = "interactions"
    verbose_name = "Interactions"

    def ready(self) -> None:
        from crm.core import audit as core_audit

        # The audit log names these records as members know them.
        core_audit.name_records(
            {
                "interactions.interaction": "Interaction",
            }
        )
        from crm.core import demo
        from crm.interactions import demo as interactions_demo
        from crm.interactions import registry

        registry.register()

        demo.register(interactions_demo.seed)
