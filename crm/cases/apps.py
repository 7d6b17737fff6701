from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The case core for every kind, the Cases list and the New Case wizard."""

    name = "crm.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from crm.cases import registry

        registry.register()
