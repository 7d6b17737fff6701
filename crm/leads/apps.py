from django.apps import AppConfig


class LeadsConfig(AppConfig):
    """Leads and the pipeline board."""

    name = "crm.leads"
    label = "leads"
    verbose_name = "Leads"

    def ready(self) -> None:
        from crm.leads import registry

        registry.register()
