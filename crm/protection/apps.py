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
