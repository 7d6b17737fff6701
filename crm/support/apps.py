from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Support cases for charities: needs, outcomes, planned support, services (I)."""

    name = "crm.support"
    label = "support"
    verbose_name = "Support cases"

    def ready(self) -> None:
        from crm.support import registry

        registry.register()
